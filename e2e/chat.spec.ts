import { expect, test } from "@playwright/test";
import { createRoom, joinRoom, messageLog, newPerson, sendMessage } from "./helpers";

test("two people create and join a room and talk in real time", async ({ browser }) => {
  const alice = await newPerson(browser);
  const code = await createRoom(alice, "Alice");
  await expect(alice.getByText(code, { exact: true })).toBeVisible();

  const bob = await newPerson(browser);
  await joinRoom(bob, "Bob", code.toLowerCase());
  await expect(messageLog(alice).getByText("Bob joined")).toBeVisible();

  await sendMessage(alice, "Hello Bob");
  await expect(messageLog(bob).getByText("Hello Bob")).toBeVisible();
  await sendMessage(bob, "Hi Alice");
  await expect(messageLog(alice).getByText("Hi Alice")).toBeVisible();
});
