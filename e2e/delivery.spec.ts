// Issue 3: nothing lost, nothing doubled — messages written offline wait and go out once,
// and messages missed while offline are caught up once, in order.
import type { Page } from "@playwright/test";
import {
  expect,
  expectConnected,
  messageBox,
  messageItem,
  messageLog,
  messagesReading,
  outbox,
  sendMessage,
  test,
  twoPeopleInARoom,
} from "./helpers";

/**
 * Types and sends messages from inside the page, through the same composer a person uses but
 * far faster than anyone types (or than one test step per keystroke could, on a busy machine).
 */
async function sendInOneBurst(page: Page, texts: string[]): Promise<void> {
  await messageBox(page).evaluate(async (box: HTMLTextAreaElement, texts) => {
    const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!;
    const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
    for (const text of texts) {
      setValue.call(box, text);
      box.dispatchEvent(new Event("input", { bubbles: true }));
      await nextTask();
      box.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
      await nextTask();
    }
  }, texts);
}

test("a message written offline waits in the outbox and arrives exactly once when back online", async ({
  newPerson,
}) => {
  const { alice, bob } = await twoPeopleInARoom(newPerson);

  await alice.context().setOffline(true);
  await expect(alice.getByRole("status")).toHaveText("Offline");
  await sendMessage(alice, "Written while offline");
  await expect(outbox(alice, "pending")).toHaveCount(1);
  await expect(outbox(alice, "pending")).toContainText("Written while offline");
  await expect(outbox(alice, "pending")).toContainText("Waiting for connection");

  await alice.context().setOffline(false);
  await expectConnected(alice);
  await expect(outbox(alice, "pending")).toHaveCount(0);
  await expect(messageItem(bob, "Written while offline")).toContainText("Alice");

  // A round trip each way after it: a late duplicate would have arrived by then.
  await sendMessage(bob, "Got it");
  await expect(messagesReading(alice, "Got it")).toHaveCount(1);
  await sendMessage(alice, "Good");
  await expect(messagesReading(bob, "Good")).toHaveCount(1);
  for (const page of [alice, bob]) {
    await expect(messagesReading(page, "Written while offline")).toHaveCount(1);
    await expect(outbox(page, "failed")).toHaveCount(0);
  }
});

test("messages missed while offline are caught up exactly once, in order", async ({
  newPerson,
}) => {
  const { alice, bob } = await twoPeopleInARoom(newPerson);

  await alice.context().setOffline(true);
  await expect(alice.getByRole("status")).toHaveText("Offline");
  const missed = ["Missed one", "Missed two", "Missed three"];
  for (const text of missed) {
    await sendMessage(bob, text);
    await expect(messagesReading(bob, text)).toHaveCount(1);
  }
  await expect(messageLog(alice)).not.toContainText("Missed one");

  await alice.context().setOffline(false);
  await expectConnected(alice);
  await expect(messageLog(alice).getByRole("listitem")).toContainText(missed);

  await sendMessage(alice, "Back again");
  await expect(messagesReading(bob, "Back again")).toHaveCount(1);
  for (const text of missed) await expect(messagesReading(alice, text)).toHaveCount(1);
});

test("a message refused for flooding is shown as failed with the reason, then retried or discarded", async ({
  newPerson,
}) => {
  const { alice, bob } = await twoPeopleInARoom(newPerson);
  const failed = outbox(alice, "failed");
  let sent = 0;
  while ((await failed.count()) < 2 && sent < 200) {
    await sendInOneBurst(
      alice,
      Array.from({ length: 40 }, () => `Flood ${++sent}`),
    );
  }
  await expect(outbox(alice, "pending")).toHaveCount(0);
  await expect(failed.first()).toContainText("You are sending messages too fast");

  const discarded = (await failed.first().locator("p").first().innerText()).trim();
  await failed.first().getByRole("button", { name: "Discard" }).click();
  await expect(messagesReading(alice, discarded)).toHaveCount(0);

  const retried = (await failed.first().locator("p").first().innerText()).trim();
  // As a person would: try again until the limit lets it through.
  const retriedRow = failed.filter({ has: alice.getByText(retried, { exact: true }) });
  await expect(async () => {
    if ((await retriedRow.count()) > 0)
      await retriedRow.getByRole("button", { name: "Retry" }).click({ timeout: 1000 });
    await expect(messagesReading(bob, retried)).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });

  while ((await failed.count()) > 0) {
    await failed.first().getByRole("button", { name: "Discard" }).click();
  }
  await sendMessage(bob, "Slow down");
  await expect(messagesReading(alice, "Slow down")).toHaveCount(1);
  await expect(messagesReading(alice, retried)).toHaveCount(1);
  await expect(messagesReading(bob, discarded)).toHaveCount(0);
  await expect(messageLog(bob).getByText(/^Flood \d+$/)).toHaveCount(
    await messageLog(alice)
      .getByText(/^Flood \d+$/)
      .count(),
  );
});
