// Replies, reactions, edits and deletes between two people: seen live, after a reload, and after
// an offline period; reachable by mouse, keyboard and on a phone.
import type { Page } from "@playwright/test";
import {
  expect,
  messageBox,
  messageItem,
  messageLog,
  sendMessage,
  sendMessages,
  test,
  twoPeopleInARoom,
} from "./helpers";

/** Opens a message's actions with its "Message actions" button. */
async function openActions(page: Page, text: string) {
  const item = messageItem(page, text);
  await item.hover();
  await item.getByRole("button", { name: "Message actions" }).click();
  return page.getByRole("dialog", { name: "Message actions" });
}

function reaction(page: Page, text: string, emoji: string) {
  return messageItem(page, text).getByRole("button", { name: new RegExp(`^${emoji} \\d`) });
}

test("a reply quotes its original and jumps to it, also when it is far up the history", async ({
  newPerson,
  pageProblems,
}) => {
  const { alice, bob } = await twoPeopleInARoom(newPerson);
  await sendMessage(alice, "Where do we meet?");
  // Enough later messages that the original is off the first page a reload shows.
  await sendMessages(
    bob,
    Array.from({ length: 55 }, (_, n) => `filler ${n + 1}`),
  );
  await expect(messageItem(alice, "filler 55")).toHaveCount(1);
  await bob.reload();
  await expect(messageItem(bob, "filler 55")).toHaveCount(1);
  await expect(messageItem(bob, "Where do we meet?")).toHaveCount(0);

  // A reply can be cancelled with Escape; then Alice answers her own question.
  const menu = await openActions(alice, "filler 55");
  await menu.getByRole("button", { name: "Reply" }).click();
  await expect(alice.locator("[data-composer-target=reply]")).toContainText("Replying to Bob");
  await messageBox(alice).press("Escape");
  await expect(alice.locator("[data-composer-target]")).toHaveCount(0);

  const original = messageItem(alice, "Where do we meet?");
  await original.scrollIntoViewIfNeeded();
  await (
    await openActions(alice, "Where do we meet?")
  )
    .getByRole("button", { name: "Reply" })
    .click();
  await sendMessage(alice, "At the station");
  const reply = messageItem(bob, "At the station");
  const quote = reply.getByRole("button", { name: /Reply to Alice: Where do we meet\?/ });
  await expect(quote).toBeVisible();
  await quote.click();
  // Bob did not hold the original: it was loaded, shown and highlighted.
  const target = messageLog(bob).locator("li[data-highlighted]");
  await expect(target).toContainText("Where do we meet?");
  await expect(target).toBeInViewport();
  expect(pageProblems).toEqual([]);
});

test("reactions, an edit and a delete are seen live, after a reload and after an offline period", async ({
  newPerson,
  pageProblems,
}) => {
  const { alice, bob } = await twoPeopleInARoom(newPerson);
  await bob.setViewportSize({ width: 360, height: 740 });
  await sendMessages(alice, ["teh plan", "my password is hunter2", "lunch?"]);
  await expect(messageItem(bob, "lunch?")).toHaveCount(1);

  // Live: Alice reacts from the palette, Bob adds the same and another one typed in.
  await (await openActions(alice, "lunch?")).getByRole("button", { name: "React with 👍" }).click();
  await expect(reaction(bob, "lunch?", "👍")).toHaveAccessibleName("👍 1: Alice");
  await reaction(bob, "lunch?", "👍").click();
  await expect(reaction(alice, "lunch?", "👍")).toHaveAccessibleName("👍 2: you, Bob");
  await expect(reaction(bob, "lunch?", "👍")).toHaveAttribute("aria-pressed", "true");
  const bobMenu = await openActions(bob, "lunch?");
  await bobMenu.getByRole("textbox", { name: "Any emoji" }).fill("ab");
  await bobMenu.getByRole("button", { name: "Add" }).click();
  await expect(bobMenu.getByRole("alert")).toHaveText("Type or paste one emoji.");
  await bobMenu.getByRole("textbox", { name: "Any emoji" }).fill("🦄");
  await bobMenu.getByRole("button", { name: "Add" }).click();
  await expect(reaction(alice, "lunch?", "🦄")).toHaveAccessibleName("🦄 1: Bob");

  // Edit from the menu: the box takes the current wording.
  await (await openActions(alice, "teh plan")).getByRole("button", { name: "Edit" }).click();
  await expect(messageBox(alice)).toHaveValue("teh plan");
  await messageBox(alice).fill("the plan");
  await messageBox(alice).press("Enter");
  await expect(messageItem(bob, "the plan")).toContainText("(edited)");

  // Delete asks first.
  const deleting = await openActions(alice, "my password is hunter2");
  await deleting.getByRole("button", { name: "Delete" }).click();
  await expect(deleting).toContainText("Delete this message for everyone?");
  await deleting.getByRole("button", { name: "Delete" }).click();
  await expect(messageLog(bob).getByText("my password is hunter2")).toHaveCount(0);
  await expect(messageLog(bob).locator("[data-deleted]")).toHaveText("Message deleted");
  // Only your own messages offer Edit and Delete.
  const others = await openActions(bob, "the plan");
  await expect(others.getByRole("button", { name: "Edit" })).toHaveCount(0);
  await others.press("Escape");
  await expect(others).toHaveCount(0);
  await expect(
    messageItem(bob, "the plan").getByRole("button", { name: "Message actions" }),
  ).toBeFocused();

  // After a reload: the same state from the server-rendered page.
  await bob.reload();
  await expect(messageItem(bob, "the plan")).toContainText("(edited)");
  await expect(messageLog(bob).locator("[data-deleted]")).toHaveCount(1);
  await expect(reaction(bob, "lunch?", "👍")).toHaveAccessibleName("👍 2: Alice, you");

  // Offline while Alice edits, deletes and reacts: Bob catches up to the final state.
  await bob.context().setOffline(true);
  await expect(bob.getByRole("status")).not.toHaveText("Connected");
  await messageBox(alice).press("ArrowUp");
  await expect(alice.locator("[data-composer-target=edit]")).toHaveCount(1);
  await expect(messageBox(alice)).toHaveValue("lunch?");
  await messageBox(alice).fill("lunch at noon?");
  await messageBox(alice).press("Enter");
  await expect(messageItem(alice, "lunch at noon?")).toContainText("(edited)");
  await reaction(alice, "lunch at noon?", "👍").click();
  await (
    await openActions(alice, "the plan")
  )
    .getByRole("button", { name: "React with 🎉" })
    .click();
  const second = await openActions(alice, "the plan");
  await second.getByRole("button", { name: "Delete" }).click();
  await second.getByRole("button", { name: "Delete" }).click();
  await expect(messageLog(alice).locator("[data-deleted]")).toHaveCount(2);
  await bob.context().setOffline(false);
  await expect(messageItem(bob, "lunch at noon?")).toContainText("(edited)");
  await expect(reaction(bob, "lunch at noon?", "👍")).toHaveAccessibleName("👍 1: you");
  await expect(messageLog(bob).locator("[data-deleted]")).toHaveCount(2);
  await expect(messageLog(bob).getByText("the plan")).toHaveCount(0);
  expect(pageProblems).toEqual([]);
});
