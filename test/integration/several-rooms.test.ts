// One browser in several rooms: one session cookie, one socket per tab, each serving its page's room.
import { describe, expect, it } from "vitest";
import { READ_POSITION_FLUSH_MS, type ChatMessage } from "@/lib/chat-events";
import {
  connectOutcome,
  connectSocket,
  connected,
  eventually,
  joinAs,
  newRoom,
  sessionCookie,
  withTestServer,
} from "../support/server";

const t = withTestServer({}, "all");

async function oneBrowserInTwoRooms() {
  const [roomA, roomB] = [await newRoom(t.server), await newRoom(t.server)];
  const userId = `user-${Math.random().toString(36).slice(2)}`;
  await t.server.chat.membership.join(roomA, { userId, name: "Alice" });
  await t.server.chat.membership.join(roomB, { userId, name: "Alice" });
  const cookie = await sessionCookie(t.config, { userId, name: "Alice", rooms: [roomA, roomB] });
  const tabA = connectSocket(t.server.url, { cookie, roomCode: roomA });
  const tabB = connectSocket(t.server.url, { cookie, roomCode: roomB });
  await Promise.all([connected(tabA), connected(tabB)]);
  return { roomA, roomB, userId, cookie, tabA, tabB };
}

const heard = (socket: ReturnType<typeof connectSocket>) => {
  const bodies: string[] = [];
  socket.on("message", (message: ChatMessage) => {
    if (message.kind === "text") bodies.push(message.body);
  });
  return bodies;
};

describe("a browser in several rooms", () => {
  it("chats in each room through the tab showing it", async () => {
    const { roomA, roomB, tabA, tabB } = await oneBrowserInTwoRooms();
    const [inA, inB] = [heard(tabA), heard(tabB)];
    const sentA = await tabA.timeout(2000).emitWithAck("message:send", {
      clientId: "tab-a-0001",
      body: "hello A",
    });
    const sentB = await tabB.timeout(2000).emitWithAck("message:send", {
      clientId: "tab-b-0001",
      body: "hello B",
    });
    expect([sentA.ok, sentB.ok]).toEqual([true, true]);
    const stored = async (room: string) =>
      (await t.server.store.latestMessages(room, 10)).filter((m) => m.kind === "text");
    expect((await stored(roomA)).map((m) => m.body)).toEqual(["hello A"]);
    expect((await stored(roomB)).map((m) => m.body)).toEqual(["hello B"]);
    await eventually(() => inA.length === 1 && inB.length === 1, "each tab heard its room");
    // A socket carries one room's messages: a message names no room, its connection does.
    expect([inA, inB]).toEqual([["hello A"], ["hello B"]]);
    tabA.close();
    tabB.close();
  });

  it("opens no socket for a room the session does not hold, nor without naming one", async () => {
    const { cookie, tabA, tabB } = await oneBrowserInTwoRooms();
    const refusal = (roomCode?: string) => connectOutcome(t.server.url, { cookie, roomCode });
    expect(await refusal(await newRoom(t.server))).toBe("unauthorized");
    expect(await refusal(undefined)).toBe("unauthorized");
    tabA.close();
    tabB.close();
  });

  it("leaving one room ends only that room's tab", async () => {
    const { roomA, roomB, userId, tabA, tabB } = await oneBrowserInTwoRooms();
    let endedA: string | undefined;
    tabA.on("session:ended", ({ reason }) => (endedA = reason));
    let endedB = false;
    tabB.on("session:ended", () => (endedB = true));
    await t.server.chat.membership.leave(roomA, userId);
    await eventually(() => endedA === "left" && !tabA.connected, "room A's tab ended");
    expect(await t.server.store.getMember(roomB, userId)).not.toBeNull();
    const stillThere = await tabB
      .timeout(2000)
      .emitWithAck("message:send", { clientId: "tab-b-0002", body: "still here" });
    expect(stillThere).toMatchObject({ ok: true });
    expect(endedB).toBe(false);
    expect(tabB.connected).toBe(true);
    tabA.close();
    tabB.close();
  });

  it("a tab that switches rooms is heard in the new one only, and the old one sees it go", async () => {
    const { roomA, roomB, cookie, tabA, tabB } = await oneBrowserInTwoRooms();
    tabB.close(); // One tab, showing room A, goes to room B.
    const [bob, carol] = [
      await joinAs(t.server, roomA, "Bob", t.config),
      await joinAs(t.server, roomB, "Carol", t.config),
    ];
    const bobTab = connectSocket(t.server.url, { cookie: bob.cookie });
    const carolTab = connectSocket(t.server.url, { cookie: carol.cookie });
    await Promise.all([connected(bobTab), connected(carolTab)]);
    const leftA: string[] = [];
    bobTab.on("presence:changes", ({ changes }) =>
      leftA.push(...changes.filter(({ online }) => !online).map(({ name }) => name)),
    );

    tabA.close();
    const switched = connectSocket(t.server.url, { cookie, roomCode: roomB });
    await connected(switched);
    const heardAfter = heard(switched);
    await eventually(() => leftA.includes("Alice"), "room A sees Alice go");
    const sent = async (socket: ReturnType<typeof connectSocket>, clientId: string, body: string) =>
      expect(
        await socket.timeout(2000).emitWithAck("message:send", { clientId, body }),
      ).toMatchObject({ ok: true });
    await sent(bobTab, "switch-a-0001", "only for A");
    await sent(carolTab, "switch-b-0001", "only for B");
    await eventually(() => heardAfter.includes("only for B"), "the switched tab hears room B");
    expect(heardAfter).toEqual(["only for B"]);
    const mine = await switched
      .timeout(2000)
      .emitWithAck("message:send", { clientId: "switch-b-0002", body: "hi B" });
    expect(mine).toMatchObject({ ok: true });
    expect((await t.server.store.latestMessages(roomB, 10)).map((m) => m.body)).toContain("hi B");
    expect((await t.server.store.latestMessages(roomA, 10)).map((m) => m.body)).not.toContain(
      "hi B",
    );
    [switched, bobTab, carolTab].forEach((socket) => socket.close());
  });

  it("remembers what a visible tab read, for the home page's unread counts", async () => {
    const { roomA, userId, tabA, tabB } = await oneBrowserInTwoRooms();
    const other = "user-other";
    await t.server.chat.membership.join(roomA, { userId: other, name: "Bob" });
    for (const body of ["one", "two", "three"])
      await t.server.store.appendMessage({
        roomCode: roomA,
        clientId: null,
        kind: "text",
        authorId: other,
        authorName: "Bob",
        body,
        createdAt: Date.now(),
      });
    const unread = async () => (await t.server.store.memberRooms(userId, [roomA]))[0]?.unread;
    expect(await unread()).toBe(3);
    const [latest] = await t.server.store.latestMessages(roomA, 1);
    const unreadBecomes = async (count: number, withinMs: number) => {
      const deadline = Date.now() + withinMs;
      while ((await unread()) !== count && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await unread()).toBe(count);
    };
    // The first report is written at once; later ones within the interval are coalesced…
    tabA.emit("room:read", { seq: latest!.seq - 2 });
    await unreadBecomes(2, READ_POSITION_FLUSH_MS / 2);
    tabA.emit("room:read", { seq: latest!.seq - 1 });
    tabA.emit("room:read", { seq: 1 });
    // A socket's events are handled in order: the answer to a later one means both reports were.
    await tabA.timeout(2000).emitWithAck("history:after", { afterSeq: latest!.seq });
    expect(await unread()).toBe(2);
    // …and written when the tab goes away, without waiting out the interval.
    tabA.close();
    await unreadBecomes(1, READ_POSITION_FLUSH_MS / 2);
    tabB.close();
  });
});
