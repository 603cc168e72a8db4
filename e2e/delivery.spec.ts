// Issue 3: nothing lost, nothing doubled — messages written offline wait and go out once,
// and messages missed while offline are caught up once, in order.
import {
  expect,
  expectConnected,
  messageItem,
  messageLog,
  messagesReading,
  outbox,
  sendInOneBurst,
  sendMessage,
  test,
  twoPeopleInARoom,
} from "./helpers";

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

test("60 lines pasted faster than the limit all arrive by themselves, in the order typed", async ({
  newPerson,
}) => {
  const { alice, bob } = await twoPeopleInARoom(newPerson);
  const lines = Array.from({ length: 60 }, (_, index) => `Line ${index + 1}`);
  await sendInOneBurst(alice, lines);
  // Over the limit: held with a word on why, and no button to press.
  await expect(alice.getByText(/Sending too fast/).first()).toBeVisible();
  await expect(outbox(alice, "failed")).toHaveCount(0);
  await expect(alice.getByRole("button", { name: "Retry" })).toHaveCount(0);

  const received = messageLog(bob).getByText(/^Line \d+$/);
  await expect(received).toHaveCount(60, { timeout: 40_000 });
  expect(await received.allInnerTexts()).toEqual(lines);
  await expect(outbox(alice, "pending")).toHaveCount(0);
  await expect(outbox(alice, "failed")).toHaveCount(0);
  expect(
    await messageLog(alice)
      .getByText(/^Line \d+$/)
      .allInnerTexts(),
  ).toEqual(lines);
});
