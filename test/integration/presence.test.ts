// Who is in the room: tabs count once, the online list follows within the grace period, and only
// membership, renames and absences longer than the away window leave lines in the history.
import { describe, expect, it } from "vitest";
import { TYPING_EXPIRY_MS, type ChatMessage } from "@/lib/chat-events";
import { chooseRoom } from "@/lib/server/rooms";
import { PRESENCE_GROUP_MS } from "@/lib/server/chat/membership";
import { NOTICE_GROUP_MS } from "@/lib/server/chat/message-log";
import type { ChatClientSocket } from "@/lib/client/room-connection";
import {
  connectSocket,
  entryDeps,
  connected,
  eventually,
  joinAs,
  newRoom,
  personConnection,
  withTestServer,
  roomWithSockets,
  type Person,
} from "../support/server";

const t = withTestServer({
  PRESENCE_GRACE_MS: "300",
  PRESENCE_SWEEP_MS: "100",
  // 1.5 s: long enough for a reconnect to fall inside it, short enough to wait out.
  AWAY_NOTICE_MINUTES: "0.025",
});

const notices = async (roomCode: string) =>
  (await t.server.store.latestMessages(roomCode, 100))
    .filter((message) => message.kind !== "text")
    .map(
      (message) => `${message.authorName} ${message.kind}${message.body && ` (${message.body})`}`,
    );

/** Arrivals within a moment of each other are announced together: that moment has passed. */
const arrivalsSettled = () =>
  new Promise((resolve) => setTimeout(resolve, Math.max(NOTICE_GROUP_MS, PRESENCE_GROUP_MS) + 100));

/** What a bystander's member list would apply: "Alice online" / "Alice offline". */
function watchPresence(socket: ChatClientSocket): string[] {
  const seen: string[] = [];
  socket.on("presence:changes", ({ changes }) =>
    seen.push(...changes.map(({ name, online }) => `${name} ${online ? "online" : "offline"}`)),
  );
  return seen;
}

describe("presence", () => {
  it("lists one person with several tabs once, and a closed tab is not a departure", async () => {
    const { roomCode, people, sockets } = await roomWithSockets(t, "Bob", "Alice", "Carol");
    const [bob, alice] = people as [Person, Person];
    const [bobSocket, aliceFirstTab, carolSocket] = sockets as ChatClientSocket[];
    // Bob watches through the app's own client: its member list follows the live events.
    const watcher = personConnection(t.server.url, bob);
    const names = () =>
      watcher.room
        .getSnapshot()
        .members.map((member) => member.name)
        .join();
    const tabs = [
      aliceFirstTab!,
      ...[1, 2].map(() => connectSocket(t.server.url, { cookie: alice.cookie })),
    ];
    await Promise.all(tabs.map(connected));
    await eventually(() => names() === "Alice,Bob,Carol", "three people listed once each");

    tabs[0]!.close();
    tabs[1]!.close();
    // Carol closes her only tab at the same moment: once she is gone from the list, the grace
    // period is over for Alice's closed tabs as well.
    carolSocket!.close();
    await eventually(() => names() === "Alice,Bob", "Carol gone from the list");
    expect(await notices(roomCode)).toEqual(["Bob joined", "Alice joined", "Carol joined"]);
    tabs[2]!.close();
    bobSocket!.close();
    watcher.room.close();
  });

  it("a refresh changes nothing, and a short absence shows offline without a line", async () => {
    const { roomCode, people, sockets } = await roomWithSockets(t, "Bob", "Alice", "Carol");
    const [bobSocket, first, carolSocket] = sockets as [
      ChatClientSocket,
      ChatClientSocket,
      ChatClientSocket,
    ];
    const alice = people[1]!;
    await arrivalsSettled();
    const seen = watchPresence(bobSocket);
    first.close();
    carolSocket.close();
    // A refresh: the new page connects well within the grace period.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = connectSocket(t.server.url, { cookie: alice.cookie });
    await connected(second);
    // Carol, who closed at the same moment and did not come back, shows when the grace is over.
    await eventually(() => seen.length > 0, "Carol shown offline");
    expect(seen).toEqual(["Carol offline"]);

    // Gone past the grace period: offline for the others at once, back online on return.
    second.close();
    await eventually(() => seen.length === 2, "Alice shown offline");
    expect(seen).toEqual(["Carol offline", "Alice offline"]);
    expect(await t.server.store.presentMembers(roomCode)).toEqual([
      { userId: people[0]!.userId, name: "Bob" },
    ]);
    const third = connectSocket(t.server.url, { cookie: alice.cookie });
    await connected(third);
    await eventually(() => seen.length === 3, "Alice shown online again");
    expect(seen).toEqual(["Carol offline", "Alice offline", "Alice online"]);
    expect(await notices(roomCode)).toEqual(["Bob joined", "Alice joined", "Carol joined"]);
    third.close();
    bobSocket.close();
  });

  it("a crowd arriving at once is one notice and one list update a moment, not one per person", async () => {
    const { roomCode, sockets } = await roomWithSockets(t, "Host");
    const hostSocket = sockets[0]!;
    await arrivalsSettled();
    const seen = watchPresence(hostSocket);
    let updates = 0;
    hostSocket.on("presence:changes", () => updates++);
    const arrivals: ChatMessage[] = [];
    hostSocket.on("message", (message) => arrivals.push(message));

    const crowd = Array.from({ length: 40 }, (_, index) => `Guest ${index}`);
    await Promise.all(crowd.map((name) => joinAs(t.server, roomCode, name, t.config)));
    await eventually(() => seen.length === crowd.length, "every guest shown online", 5000);
    const announced = () => arrivals.reduce((sum, notice) => sum + 1 + (notice.others ?? 0), 0);
    await eventually(() => announced() === crowd.length, "every guest announced", 5000);
    // The first goes out at once, alone; the others were held for the moment after it.
    expect(arrivals[0]).toMatchObject({ kind: "joined", authorName: "Guest 0" });
    expect(arrivals[0]!.others).toBeUndefined();
    expect(arrivals[1]).toMatchObject({ kind: "joined", authorName: "Guest 1" });
    expect(arrivals.length).toBeLessThanOrEqual(4);
    expect(updates).toBeLessThanOrEqual(10);
    expect((await t.server.store.latestMessages(roomCode, 100)).length).toBe(1 + arrivals.length);
    hostSocket.close();
  });

  it("a held arrival is stored before that person's first message", async () => {
    const { roomCode, sockets } = await roomWithSockets(t, "Host");
    await arrivalsSettled();
    const first = await joinAs(t.server, roomCode, "First", t.config);
    const quick = await joinAs(t.server, roomCode, "Quick", t.config);
    const quickSocket = connectSocket(t.server.url, { cookie: quick.cookie });
    await connected(quickSocket);
    const sent = await quickSocket
      .timeout(2000)
      .emitWithAck("message:send", { clientId: "quick-00001", body: "hello all" });
    expect(sent.ok).toBe(true);
    const history = (await t.server.store.latestMessages(roomCode, 10)).map(
      (message) => `${message.authorName} ${message.kind}`,
    );
    expect(history).toEqual(["Host joined", "First joined", "Quick joined", "Quick text"]);
    expect(first.name).toBe("First");
    quickSocket.close();
    sockets[0]!.close();
  });

  it("an absence longer than the away window is stored once as left, and the return as joined", async () => {
    const { roomCode, people, sockets } = await roomWithSockets(t, "Bob", "Alice", "Carol");
    const [bobSocket, aliceSocket, carolSocket] = sockets as ChatClientSocket[];
    const joined = ["Bob joined", "Alice joined", "Carol joined"];
    aliceSocket!.close();
    await eventually(async () => (await notices(roomCode)).length === 4, "left stored", 5000);
    // Carol leaves after Alice's line: by the time hers is stored, the sweeps that could have
    // stored Alice's a second time have run.
    carolSocket!.close();
    await eventually(async () => (await notices(roomCode)).length > 4, "Carol's left stored", 5000);
    expect(await notices(roomCode)).toEqual([...joined, "Alice left", "Carol left"]);

    const back = connectSocket(t.server.url, { cookie: people[1]!.cookie });
    await connected(back);
    await eventually(async () => (await notices(roomCode)).length === 6, "return stored");
    expect(await notices(roomCode)).toEqual([
      ...joined,
      "Alice left",
      "Carol left",
      "Alice joined",
    ]);
    back.close();
    bobSocket!.close();
  });

  it("re-joining under a new name is a rename the room sees, and her open tab writes under it", async () => {
    const { roomCode, people, sockets } = await roomWithSockets(t, "Bob", "Alice");
    const [bobSocket, aliceSocket] = sockets as [ChatClientSocket, ChatClientSocket];
    const seen = watchPresence(bobSocket);
    const lines: string[] = [];
    bobSocket.on("message", (message) =>
      lines.push(message.kind === "renamed" ? `${message.body} → ${message.authorName}` : ""),
    );
    const outcome = await t.server.chat.membership.join(roomCode, {
      userId: people[1]!.userId,
      name: "Alicia",
    });
    expect(outcome).toEqual({ kind: "renamed", previousName: "Alice" });
    await eventually(() => lines.includes("Alice → Alicia"), "rename seen by Bob");
    await eventually(() => seen.includes("Alicia online"), "Bob's list follows the rename");
    expect(await notices(roomCode)).toEqual([
      "Bob joined",
      "Alice joined",
      "Alicia renamed (Alice)",
    ]);

    // Her tab, open all along, now writes under the new name.
    const sent = await aliceSocket
      .timeout(2000)
      .emitWithAck("message:send", { clientId: "renamed-0001", body: "hi" });
    expect(sent).toMatchObject({ ok: true, message: { authorName: "Alicia" } });
    aliceSocket.close();
    bobSocket.close();
  });

  it("keeps a member's name theirs while they are away, against case and look-alikes", async () => {
    const roomCode = await newRoom(t.server);
    await joinAs(t.server, roomCode, "Alice", t.config);
    // Alice never connects: a member who is not present still owns her name.
    const deps = entryDeps(t.server);
    const join = (name: string) =>
      chooseRoom(deps, { intent: "join", name, code: roomCode, userId: "other", ip: "1" });
    for (const twin of ["aLiCe", "\u0410lice", "\uff21lice", "AIice"]) {
      expect(await join(twin)).toMatchObject({
        ok: false,
        error: expect.stringMatching(/already called/),
      });
    }
    expect(await join("Alicia")).toEqual({
      ok: true,
      roomCode,
      name: "Alicia",
      passphraseHash: null,
    });
  });

  it("shows who is typing to the others, and stops when they send or vanish", async () => {
    const { sockets } = await roomWithSockets(t, "Alice", "Bob");
    const [aliceSocket, bobSocket] = sockets as [ChatClientSocket, ChatClientSocket];
    const seen: string[] = [];
    bobSocket.on("typing", ({ name, typing }) =>
      seen.push(`${name} ${typing ? "typing" : "stopped"}`),
    );

    aliceSocket.emit("typing", { typing: true });
    aliceSocket.emit("typing", { typing: true });
    await eventually(() => seen.length === 1, "typing seen");
    await aliceSocket
      .timeout(2000)
      .emitWithAck("message:send", { clientId: "typed-00001", body: "done" });
    await eventually(() => seen.length === 2, "stop seen after sending");

    aliceSocket.emit("typing", { typing: true });
    await eventually(() => seen.length === 3, "typing again");
    aliceSocket.close();
    await eventually(() => seen.length === 4, "stop seen after vanishing");
    expect(seen).toEqual(["Alice typing", "Alice stopped", "Alice typing", "Alice stopped"]);
    bobSocket.close();
  });

  it("stops showing a typer who goes quiet without sending", async () => {
    const { sockets } = await roomWithSockets(t, "Alice", "Bob");
    const [aliceSocket, bobSocket] = sockets as [ChatClientSocket, ChatClientSocket];
    const seen: { typing: boolean; at: number }[] = [];
    bobSocket.on("typing", ({ typing }) => seen.push({ typing, at: performance.now() }));

    aliceSocket.emit("typing", { typing: true });
    await eventually(() => seen.length === 1, "typing seen");
    await eventually(() => seen.length === 2, "stop seen", TYPING_EXPIRY_MS + 5000);
    expect(seen.map((event) => event.typing)).toEqual([true, false]);
    // Not before the expiry (a little slack for timer granularity), and Alice is still here.
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(TYPING_EXPIRY_MS - 100);
    expect(aliceSocket.connected).toBe(true);
    aliceSocket.close();
    bobSocket.close();
  });

  it("tells the sockets of an expired room that it is gone, and closes them", async () => {
    const { roomCode, sockets } = await roomWithSockets(t, "Alice");
    const [aliceSocket] = sockets as [ChatClientSocket];
    const ended: string[] = [];
    aliceSocket.on("session:ended", ({ reason }) => ended.push(reason));
    // The store decides which rooms are idle (its contract suite covers that); here it says
    // this one is, while Alice still has it open in a tab.
    const store = t.server.store;
    const deleteIdleRooms = store.deleteIdleRooms;
    store.deleteIdleRooms = async (idleBefore) => [
      ...(await deleteIdleRooms.call(store, idleBefore)),
      roomCode,
    ];
    try {
      await eventually(() => ended.length > 0, "told the room is gone");
    } finally {
      store.deleteIdleRooms = deleteIdleRooms;
    }
    expect(ended[0]).toBe("room-gone");
    await eventually(() => !aliceSocket.connected, "socket closed");
    expect(aliceSocket.active).toBe(false);
    aliceSocket.close();
  });
});
