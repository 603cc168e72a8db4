// Issue 3: who is here — one person in several tabs counts once, leaving takes a grace period,
// typing is shown to the others, and two people cannot share a name in one room.
import {
  createRoom,
  expect,
  expectConnected,
  formError,
  joinRoom,
  leaveRoom,
  members,
  messageBox,
  messagesReading,
  notice,
  outbox,
  sendMessage,
  test,
  twoPeopleInARoom,
} from "./helpers";

test("one person with two tabs is listed once", async ({ newPerson }) => {
  const { alice, bob, code } = await twoPeopleInARoom(newPerson);
  const aliceSecondTab = await alice.context().newPage();
  await aliceSecondTab.goto(`/r/${code}`);
  await expectConnected(aliceSecondTab);

  for (const page of [alice, aliceSecondTab, bob]) {
    await expect(members(page)).toHaveCount(2);
  }
  await expect(members(bob).filter({ hasText: "Alice" })).toHaveCount(1);
  await expect(members(aliceSecondTab).filter({ hasText: "Alice" })).toContainText("(you)");

  await sendMessage(aliceSecondTab, "From my second tab");
  await expect(messagesReading(bob, "From my second tab")).toHaveCount(1);
  await expect(messagesReading(alice, "From my second tab")).toHaveCount(1);
  await expect(notice(bob, "Alice joined")).toHaveCount(1);
});

test("closing one of two tabs is not leaving; closing the last one is", async ({ newPerson }) => {
  const { alice, bob, code } = await twoPeopleInARoom(newPerson);
  const carol = await newPerson();
  await joinRoom(carol, "Carol", code);
  await expect(members(bob).filter({ hasText: "Carol" })).toHaveCount(1);
  const aliceSecondTab = await alice.context().newPage();
  await aliceSecondTab.goto(`/r/${code}`);
  await expectConnected(aliceSecondTab);

  await aliceSecondTab.close();
  // Carol closes her only tab at the same moment: once Bob's list has dropped her, the grace
  // period is over for Alice's closed tab as well.
  await carol.close();
  await expect(members(bob).filter({ hasText: "Carol" })).toHaveCount(0);
  await sendMessage(alice, "Still here");
  await expect(messagesReading(bob, "Still here")).toHaveCount(1);
  await expect(notice(bob, "Alice left")).toHaveCount(0);
  await expect(members(bob).filter({ hasText: "Alice" })).toHaveCount(1);

  await alice.close();
  await expect(members(bob)).toHaveCount(1);
  await expect(notice(bob, "Alice left")).toHaveCount(0);
});

test("a network blip shorter than the grace period is not announced", async ({ newPerson }) => {
  const { alice, bob } = await twoPeopleInARoom(newPerson);

  await alice.context().setOffline(true);
  await expect(alice.getByRole("status")).toHaveText("Offline");
  await alice.context().setOffline(false);
  await expectConnected(alice);

  // Sent after the reconnect, so any notice the blip caused reaches Bob before it.
  await sendMessage(alice, "Sorry, my Wi-Fi");
  await expect(messagesReading(bob, "Sorry, my Wi-Fi")).toHaveCount(1);
  await expect(notice(bob, "Alice left")).toHaveCount(0);
  await expect(notice(bob, "Alice joined")).toHaveCount(1);
  await expect(members(bob)).toHaveCount(2);
});

test("others see “Alice is typing…” until she sends or clears her message", async ({
  newPerson,
}) => {
  const { alice, bob } = await twoPeopleInARoom(newPerson);
  const aliceTyping = bob.getByText("Alice is typing…");
  // The server would expire a silent typer after 5 s: it must go away sooner, when told.
  const promptly = { timeout: 2500 };

  await messageBox(alice).pressSequentially("Hel");
  await expect(aliceTyping).toBeVisible();
  // Nobody is told about their own typing.
  await expect(alice.getByText(/is typing…/)).toHaveCount(0);

  await messageBox(alice).press("Enter");
  await expect(messagesReading(bob, "Hel")).toHaveCount(1);
  await expect(aliceTyping).toHaveCount(0, promptly);

  await messageBox(alice).pressSequentially("Never mind");
  await expect(aliceTyping).toBeVisible();
  await messageBox(alice).fill("");
  await expect(aliceTyping).toHaveCount(0, promptly);
});

test("two people typing at once are both named", async ({ newPerson }) => {
  const { alice, bob, code } = await twoPeopleInARoom(newPerson);
  const carol = await newPerson();
  await joinRoom(carol, "Carol", code);

  await messageBox(alice).pressSequentially("Hi");
  await messageBox(bob).pressSequentially("Hey");
  await expect(carol.getByText(/^(Alice and Bob|Bob and Alice) are typing…$/)).toBeVisible();
  await expect(bob.getByText("Alice is typing…")).toBeVisible();
  await expect(alice.getByText("Bob is typing…")).toBeVisible();

  await messageBox(bob).fill("");
  await expect(carol.getByText("Alice is typing…")).toBeVisible({ timeout: 2500 });
});

test("a name someone in the room already has, in any case, is refused", async ({ newPerson }) => {
  const alice = await newPerson();
  const code = await createRoom(alice, "Alice");

  const impostor = await newPerson();
  await impostor.getByLabel("Your name").fill("aLICE");
  await impostor.getByLabel("Room code").fill(code);
  await impostor.getByRole("button", { name: "Join room" }).click();
  await expect(formError(impostor)).toContainText("already called “aLICE”");
  await expect(impostor).toHaveURL(/\/$/);
  await expect(impostor.getByLabel("Your name")).toHaveValue("aLICE");
  await expect(impostor.getByLabel("Room code")).toHaveValue(code);
  await expect(members(alice)).toHaveCount(1);

  // Once Alice has left, the name is free again.
  await leaveRoom(alice);
  await expect(alice).toHaveURL(/\/$/);
  await joinRoom(impostor, "aLICE", code);
  await expect(members(impostor)).toContainText(["aLICE"]);
});

test("leaving in one tab takes the person out of the room in their other tabs too", async ({
  newPerson,
}) => {
  const { alice, bob, code } = await twoPeopleInARoom(newPerson);
  const aliceSecondTab = await alice.context().newPage();
  await aliceSecondTab.goto(`/r/${code}`);
  await expectConnected(aliceSecondTab);

  await leaveRoom(alice);
  await expect(alice).toHaveURL(/\/$/);
  await expect(aliceSecondTab.getByText("You are no longer in this room.")).toBeVisible();
  await expect(aliceSecondTab.getByRole("status")).toHaveText("Disconnected");
  await expect(notice(bob, "Alice left")).toHaveCount(1);
  await expect(members(bob)).toHaveCount(1);

  // The stale tab cannot send: nothing is queued to go out later, when she might rejoin.
  await expect(aliceSecondTab.getByRole("button", { name: "Send" })).toBeDisabled();
  await expect(messageBox(aliceSecondTab)).toBeDisabled();
  await expect(outbox(aliceSecondTab, "pending")).toHaveCount(0);
  await sendMessage(bob, "Alice is gone");
  await expect(messagesReading(aliceSecondTab, "Alice is gone")).toHaveCount(0);
  await expect(messagesReading(bob, "Am I still here?")).toHaveCount(0);
});
