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
