// Issue 2: the whole app as people use it — create, join by code or link, talk, refresh, leave.
import Database from "better-sqlite3";
import {
  createRoom,
  E2E_DATABASE_PATH,
  expect,
  expectConnected,
  formError,
  joinRoom,
  leaveRoom,
  members,
  messageBox,
  messageItem,
  messageLog,
  messagesReading,
  notice,
  PRESENCE_GRACE_MS,
  sendMessage,
  test,
  twoPeopleInARoom,
} from "./helpers";

test("two people create and join a room by code and talk both ways in real time", async ({
  newPerson,
}) => {
  const alice = await newPerson();
  const code = await createRoom(alice, "Alice");
  await expect(alice.getByText(code, { exact: true }).first()).toBeVisible();

  const bob = await newPerson();
  await joinRoom(bob, "Bob", code.toLowerCase());
  await expect(notice(alice, "Bob joined")).toHaveCount(1);

  await sendMessage(alice, "Hello Bob");
  await expect(messageItem(bob, "Hello Bob")).toContainText("Alice");
  await expect(messageItem(bob, "Hello Bob").locator("time")).toHaveText(/\d{1,2}:\d{2}/);
  await expect(messageItem(alice, "Hello Bob")).toContainText("You");

  // The Send button works as well as Enter.
  await messageBox(bob).fill("Hi Alice");
  await bob.getByRole("button", { name: "Send" }).click();
  await expect(messageItem(alice, "Hi Alice")).toContainText("Bob");
  await expect(messageBox(bob)).toHaveValue("");

  for (const page of [alice, bob]) {
    await expect(messagesReading(page, "Hello Bob")).toHaveCount(1);
    await expect(messagesReading(page, "Hi Alice")).toHaveCount(1);
    await expect(messageLog(page).getByRole("listitem")).toContainText([
      "Bob joined",
      "Hello Bob",
      "Hi Alice",
    ]);
  }
});

test("a refresh keeps the room and its history, without leave or join notices", async ({
  newPerson,
}) => {
  const { alice, bob, code } = await twoPeopleInARoom(newPerson);
  await sendMessage(alice, "Before the refresh");
  await expect(messagesReading(bob, "Before the refresh")).toHaveCount(1);

  await bob.reload();
  await expect(bob).toHaveURL(new RegExp(`/r/${code}$`));
  await expectConnected(bob);
  await expect(messageItem(bob, "Before the refresh")).toContainText("Alice");

  // Sent after the reconnect, so any notice the refresh caused reaches Alice before it.
  await sendMessage(bob, "After the refresh");
  await expect(messagesReading(alice, "After the refresh")).toHaveCount(1);
  await expect(notice(alice, "Bob left")).toHaveCount(0);
  await expect(notice(alice, "Bob joined")).toHaveCount(1);
  await expect(messagesReading(bob, "Before the refresh")).toHaveCount(1);
  await expect(messagesReading(bob, "After the refresh")).toHaveCount(1);
});

test("a late joiner sees the conversation so far, in order, with its authors", async ({
  newPerson,
}) => {
  const { alice, bob, code } = await twoPeopleInARoom(newPerson);
  await sendMessage(alice, "First, from Alice");
  await expect(messagesReading(bob, "First, from Alice")).toHaveCount(1);
  await sendMessage(bob, "Second, from Bob");
  await expect(messagesReading(alice, "Second, from Bob")).toHaveCount(1);

  const carol = await newPerson();
  await joinRoom(carol, "Carol", code);
  await expect(messageItem(carol, "First, from Alice")).toContainText("Alice");
  await expect(messageItem(carol, "Second, from Bob")).toContainText("Bob");
  await expect(messageLog(carol).getByRole("listitem")).toContainText([
    // Consecutive notices share one line.
    "Alice and Bob joined",
    "First, from Alice",
    "Second, from Bob",
    "Carol joined",
  ]);
  await expect(notice(alice, "Carol joined")).toHaveCount(1);
  await expect(notice(bob, "Carol joined")).toHaveCount(1);
});

test("a shared room link asks for a name, then lands in the room", async ({ newPerson }) => {
  const alice = await newPerson();
  const code = await createRoom(alice, "Alice");

  const carol = await newPerson();
  // Links are as case-insensitive as typed codes.
  await carol.goto(`/r/${code.toLowerCase()}`);
  await expect(carol).toHaveURL(new RegExp(`/r/${code}$`));
  await expect(carol.getByRole("heading", { name: `Join room ${code}` })).toBeVisible();
  await expect(carol.getByLabel("Room code")).toHaveCount(0);
  await expect(messageBox(carol)).toHaveCount(0);

  await carol.getByLabel("Your name").fill("Carol");
  await carol.getByRole("button", { name: "Join room" }).click();
  await expect(carol).toHaveURL(new RegExp(`/r/${code}$`));
  await expectConnected(carol);
  await expect(messageBox(carol)).toBeVisible();
  await expect(notice(alice, "Carol joined")).toHaveCount(1);
});

test("a link to an unknown room looks like one to a real room; only joining says it does not exist", async ({
  newPerson,
}) => {
  const alice = await newPerson();
  const code = await createRoom(alice, "Alice");
  const unknown = code === "ZZZZZZ" ? "ZZZZZY" : "ZZZZZZ";
  const dana = await newPerson();
  /** What a stranger sees at a room link, with the code itself blanked out. */
  const strangerView = async (roomCode: string) => {
    await dana.goto(`/r/${roomCode}`);
    const text = (await dana.locator("main").innerText()).replaceAll(roomCode, "CODE");
    return { title: await dana.title(), text };
  };
  const real = await strangerView(code);
  expect(real).toEqual(await strangerView(unknown));
  expect(real.title).toBe("Join a room · Roomcode chat");
  await expect(dana.getByRole("heading", { name: `Join room ${unknown}` })).toBeVisible();

  await dana.getByLabel("Your name").fill("Dana");
  await dana.getByRole("button", { name: "Join room" }).click();
  await expect(formError(dana)).toHaveText("Room does not exist.");
});

test("a member whose room was removed is told it is gone", async ({ newPerson }) => {
  const alice = await newPerson();
  const code = await createRoom(alice, "Alice");
  // As idle-room expiry does, straight in the server's database file.
  const db = new Database(E2E_DATABASE_PATH);
  db.pragma("busy_timeout = 5000");
  db.prepare("DELETE FROM rooms WHERE code = ?").run(code);
  db.close();
  await alice.goto(`/r/${code}`);
  await expect(alice.getByRole("heading", { name: `Room ${code} is gone.` })).toBeVisible();
  expect(await alice.title()).toBe("Room gone · Roomcode chat");
  await expect(alice.getByRole("link", { name: "Create or join another room" })).toBeVisible();
});

test("Leave room announces the leave, goes home, and the room then asks for a name again", async ({
  newPerson,
}) => {
  const { alice, bob, code } = await twoPeopleInARoom(newPerson);
  await expect(members(alice)).toHaveCount(2);

  await leaveRoom(bob);
  await expect(bob).toHaveURL(/\/$/);
  await expect(notice(alice, "Bob left")).toHaveCount(1);
  await expect(members(alice)).toHaveCount(1);
  await expect(members(alice)).toContainText(["Alice"]);
  // The session keeps the name to offer it again, but no longer the room.
  await expect(bob.getByLabel("Your name")).toHaveValue("Bob");
  await expect(bob.getByRole("list", { name: "Your rooms" })).toHaveCount(0);

  await bob.goto(`/r/${code}`);
  await expect(bob.getByRole("heading", { name: `Join room ${code}` })).toBeVisible();
  await expect(messageBox(bob)).toHaveCount(0);
});

test("closing the page takes the person off the list after the grace period, without a line", async ({
  newPerson,
}) => {
  const { alice, bob } = await twoPeopleInARoom(newPerson);
  await expect(members(alice)).toHaveCount(2);

  const closedAt = Date.now();
  await bob.close();
  await expect(members(alice)).toHaveCount(1);
  expect(Date.now() - closedAt).toBeGreaterThanOrEqual(PRESENCE_GRACE_MS);
  // Still a member, only away: "left" is stored only after the away window (minutes).
  await expect(notice(alice, "Bob left")).toHaveCount(0);
});

test("Shift+Enter starts a new line and Enter sends", async ({ newPerson }) => {
  const { alice, bob } = await twoPeopleInARoom(newPerson);
  await messageBox(alice).fill("First line");
  await messageBox(alice).press("Shift+Enter");
  await messageBox(alice).pressSequentially("second line");
  await expect(messageBox(alice)).toHaveValue("First line\nsecond line");
  await expect(messageLog(alice)).not.toContainText("First line");

  await messageBox(alice).press("Enter");
  await expect(messageBox(alice)).toHaveValue("");
  const received = messageLog(bob).getByText(/^First line\s+second line$/);
  await expect(received).toHaveCount(1);
  expect(await received.innerText()).toBe("First line\nsecond line");
});

test("a message containing HTML is shown as the text that was typed", async ({ newPerson }) => {
  const { alice, bob } = await twoPeopleInARoom(newPerson);
  const html = '<b>not bold</b> <i>not italic</i> &amp; <a href="/">not a link</a>';
  await sendMessage(alice, html);

  await expect(messagesReading(bob, html)).toHaveCount(1);
  await expect(messageLog(bob).locator("b, i, a")).toHaveCount(0);
  // The server-rendered history escapes it too.
  await bob.reload();
  await expect(messagesReading(bob, html)).toHaveCount(1);
  await expect(messageLog(bob).locator("b, i, a")).toHaveCount(0);
});
