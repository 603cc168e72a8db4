// One browser in several rooms: a tab per room, all live at once, and the home page's list of them.
import {
  createRoom,
  expect,
  expectConnected,
  joinRoom,
  leaveRoom,
  messagesReading,
  sendMessage,
  test,
} from "./helpers";
import type { Page } from "@playwright/test";

function yourRooms(page: Page) {
  return page.getByRole("list", { name: "Your rooms" }).getByRole("listitem");
}

test("one browser chats in two rooms from two tabs, and the home page lists both with unread counts", async ({
  newPerson,
}) => {
  const alice = await newPerson();
  const codeA = await createRoom(alice, "Alice");
  const aliceTabB = await alice.context().newPage();
  await aliceTabB.goto("/");
  // The first room is listed above the form, and creating a second one does not end it.
  await expect(yourRooms(aliceTabB)).toHaveCount(1);
  const codeB = await createRoom(aliceTabB, "Alice");
  await expectConnected(alice);

  const bob = await newPerson();
  await joinRoom(bob, "Bob", codeA);
  const bobTabB = await bob.context().newPage();
  await bobTabB.goto("/");
  await joinRoom(bobTabB, "Bob", codeB);

  await sendMessage(alice, "hello room A");
  await sendMessage(aliceTabB, "hello room B");
  await expect(messagesReading(bob, "hello room A")).toHaveCount(1);
  await expect(messagesReading(bobTabB, "hello room B")).toHaveCount(1);
  // Each tab shows its own room only.
  await expect(messagesReading(alice, "hello room B")).toHaveCount(0);
  await expect(messagesReading(bobTabB, "hello room A")).toHaveCount(0);
  await expectConnected(alice);
  await expectConnected(aliceTabB);

  // Alice goes back to the start; Bob writes in both rooms meanwhile.
  await aliceTabB.close();
  await alice.goto("/");
  await sendMessage(bob, "one for A");
  await sendMessage(bob, "two for A");
  await sendMessage(bobTabB, "one for B");
  await alice.reload();
  await expect(yourRooms(alice)).toHaveCount(2);
  const roomA = yourRooms(alice).filter({ hasText: codeA });
  const roomB = yourRooms(alice).filter({ hasText: codeB });
  await expect(roomA).toContainText("2 unread");
  await expect(roomB).toContainText("1 unread");
  // Newest activity first.
  await expect(yourRooms(alice).first()).toContainText(codeB);

  // One click takes her back; having seen it, the room has nothing unread.
  await roomA.getByRole("link").click();
  await expect(alice).toHaveURL(new RegExp(`/r/${codeA}$`));
  await expect(messagesReading(alice, "two for A")).toHaveCount(1);
  await expectConnected(alice);
  await alice.goto("/");
  await expect(yourRooms(alice).filter({ hasText: codeA })).not.toContainText("unread");
  await expect(yourRooms(alice).filter({ hasText: codeB })).toContainText("1 unread");
});

test("leaving one room keeps the browser in its other rooms", async ({ newPerson }) => {
  const alice = await newPerson();
  const codeA = await createRoom(alice, "Alice");
  const tabB = await alice.context().newPage();
  await tabB.goto("/");
  const codeB = await createRoom(tabB, "Alice");

  await leaveRoom(alice);
  await expect(alice).toHaveURL(/\/$/);
  await expect(yourRooms(alice)).toHaveCount(1);
  await expect(yourRooms(alice)).toContainText(codeB);
  await expect(yourRooms(alice)).not.toContainText(codeA);
  await expectConnected(tabB);
  await sendMessage(tabB, "still in B");
  await expect(messagesReading(tabB, "still in B")).toHaveCount(1);
});
