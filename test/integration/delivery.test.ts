// Nothing lost, nothing doubled: the app's own client logic against a real server and SQLite file.
import { describe, expect, it } from "vitest";
import type { ChatClientSocket } from "@/lib/client/room-connection";
import {
  connectSocket,
  connected,
  eventually,
  joinAs,
  newRoom,
  personConnection,
  startTestServer,
  texts,
  withTestServer,
  roomWithSockets,
} from "../support/server";

const t = withTestServer({ MESSAGE_RATE_PER_SECOND: "1000", MESSAGE_BURST: "1000" });

describe("delivery", () => {
  it("stores messages and broadcasts them to everyone in order", async () => {
    const { roomCode, sockets } = await roomWithSockets(t, "Alice", "Bob");
    const [aliceSocket, bobSocket] = sockets as [ChatClientSocket, ChatClientSocket];
    const heard: number[] = [];
    bobSocket.on("message", (message) => {
      if (message.kind === "text") heard.push(Number(message.body));
    });

    const acks = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        aliceSocket.timeout(5000).emitWithAck("message:send", {
          clientId: `order-${String(i).padStart(4, "0")}`,
          body: String(i),
        }),
      ),
    );
    await eventually(() => heard.length === 50, "Bob hears all 50");
    expect(heard).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const seqs = acks.map((ack) => (ack.ok ? ack.message.seq : -1));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(texts(await t.server.store.latestMessages(roomCode, 100))).toEqual(heard.map(String));
    aliceSocket.close();
    bobSocket.close();
  });

  it("stores a retried client id once and acknowledges both sends with the stored copy", async () => {
    const roomCode = await newRoom(t.server);
    const alice = await joinAs(t.server, roomCode, "Alice", t.config);
    const socket = connectSocket(t.server.url, { cookie: alice.cookie });
    await connected(socket);
    const payload = { clientId: "retry-me-0001", body: "only once" };
    const first = await socket.timeout(2000).emitWithAck("message:send", payload);
    const second = await socket.timeout(2000).emitWithAck("message:send", payload);
    expect(first.ok && second.ok).toBe(true);
    expect(second).toEqual(first);
    expect(texts(await t.server.store.latestMessages(roomCode, 10))).toEqual(["only once"]);
    socket.close();
  });

  it("gives a reconnecting client exactly the messages it missed, in order", async () => {
    const roomCode = await newRoom(t.server);
    const alice = await joinAs(t.server, roomCode, "Alice", t.config);
    const bob = await joinAs(t.server, roomCode, "Bob", t.config);
    const aliceRoom = personConnection(t.server.url, alice).room;
    const bobRoom = personConnection(t.server.url, bob).room;
    await eventually(
      () => bobRoom.getSnapshot().connection.status === "connected",
      "Bob connected",
    );
    await eventually(
      () => aliceRoom.getSnapshot().connection.status === "connected",
      "Alice connected",
    );
    aliceRoom.send("before");
    await eventually(
      () => texts(bobRoom.getSnapshot().messages).includes("before"),
      "Bob got 'before'",
    );

    bobRoom.setOnline(false);
    for (const body of ["missed 1", "missed 2", "missed 3"]) aliceRoom.send(body);
    await eventually(() => aliceRoom.getSnapshot().outbox.length === 0, "Alice's messages stored");
    expect(texts(bobRoom.getSnapshot().messages)).toEqual(["before"]);

    bobRoom.setOnline(true);
    await eventually(() => texts(bobRoom.getSnapshot().messages).length === 4, "Bob caught up");
    expect(texts(bobRoom.getSnapshot().messages)).toEqual([
      "before",
      "missed 1",
      "missed 2",
      "missed 3",
    ]);
    const seqs = bobRoom.getSnapshot().messages.map((message) => message.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    aliceRoom.close();
    bobRoom.close();
  });

  it("sends what was typed while offline once the connection is back, exactly once", async () => {
    const roomCode = await newRoom(t.server);
    const alice = await joinAs(t.server, roomCode, "Alice", t.config);
    const aliceRoom = personConnection(t.server.url, alice).room;
    await eventually(() => aliceRoom.getSnapshot().connection.status === "connected", "connected");
    aliceRoom.setOnline(false);
    aliceRoom.send("typed offline");
    expect(aliceRoom.getSnapshot().outbox.map((item) => item.body)).toEqual(["typed offline"]);
    aliceRoom.setOnline(true);
    await eventually(() => aliceRoom.getSnapshot().outbox.length === 0, "outbox drained");
    expect(texts(aliceRoom.getSnapshot().messages)).toEqual(["typed offline"]);
    expect(texts(await t.server.store.latestMessages(roomCode, 10))).toEqual(["typed offline"]);
    aliceRoom.close();
  });

  it("loses nothing when the server restarts between sends", async () => {
    const roomCode = await newRoom(t.server);
    const alice = await joinAs(t.server, roomCode, "Alice", t.config);
    const bob = await joinAs(t.server, roomCode, "Bob", t.config);
    // The restarted server must come back on the same port for the clients to find it.
    const port = t.server.port;
    const aliceRoom = personConnection(t.server.url, alice).room;
    const bobRoom = personConnection(t.server.url, bob).room;
    await eventually(
      () => bobRoom.getSnapshot().connection.status === "connected",
      "Bob connected",
    );
    aliceRoom.send("before restart");
    await eventually(
      () => texts(bobRoom.getSnapshot().messages).includes("before restart"),
      "delivered",
    );

    await t.server.close();
    aliceRoom.send("during restart");
    t.server = await startTestServer({ ...t.config, port });
    aliceRoom.send("after restart");

    const expected = ["before restart", "during restart", "after restart"];
    await eventually(
      () => texts(bobRoom.getSnapshot().messages).length === 3,
      "Bob has all three",
      15_000,
    );
    expect(texts(bobRoom.getSnapshot().messages)).toEqual(expected);
    expect(texts(await t.server.store.latestMessages(roomCode, 10))).toEqual(expected);
    aliceRoom.close();
    bobRoom.close();
  });

  it("holds a message refused as too fast for the server's wait, then sends it and the rest in order", async () => {
    await t.server.close();
    const limits = { ...t.config.limits, messagesPerSecond: 2, messageBurst: 1 };
    t.server = await startTestServer({ ...t.config, limits });
    const roomCode = await newRoom(t.server);
    const alice = await joinAs(t.server, roomCode, "Alice", t.config);
    const aliceRoom = personConnection(t.server.url, alice).room;
    await eventually(() => aliceRoom.getSnapshot().connection.status === "connected", "connected");
    let held = false;
    let failed = false;
    aliceRoom.subscribe(() => {
      const { outbox } = aliceRoom.getSnapshot();
      held ||= outbox.some((item) => item.heldUntil !== undefined);
      failed ||= outbox.some((item) => item.failure !== undefined);
    });
    for (const text of ["first", "second", "third", "fourth"]) aliceRoom.send(text);
    await eventually(() => aliceRoom.getSnapshot().outbox.length === 0, "all sent", 15_000);
    expect(held).toBe(true);
    expect(failed).toBe(false);
    expect(texts(await t.server.store.latestMessages(roomCode, 10))).toEqual([
      "first",
      "second",
      "third",
      "fourth",
    ]);
    aliceRoom.close();
  });

  it("answers a send the store cannot write with `unavailable`, and broadcasts nothing", async () => {
    const { roomCode, sockets } = await roomWithSockets(t, "Alice", "Bob");
    const [aliceSocket, bobSocket] = sockets as [ChatClientSocket, ChatClientSocket];
    const heard: string[] = [];
    bobSocket.on("message", (message) => {
      if (message.kind === "text") heard.push(message.body);
    });
    const store = t.server.store;
    const appendMessages = store.appendMessages;
    store.appendMessages = () => Promise.reject(new Error("disk full"));
    try {
      const refused = await aliceSocket
        .timeout(5000)
        .emitWithAck("message:send", { clientId: "store-down-0001", body: "lost?" });
      expect(refused).toMatchObject({ ok: false, code: "unavailable" });
    } finally {
      store.appendMessages = appendMessages;
    }
    // Broadcasts reach Bob in order: once the next message arrives, the refused one never will.
    await aliceSocket
      .timeout(5000)
      .emitWithAck("message:send", { clientId: "store-up-0001", body: "after" });
    await eventually(() => heard.includes("after"), "Bob hears the next message");
    expect(heard).toEqual(["after"]);
    expect(texts(await store.latestMessages(roomCode, 10))).toEqual(["after"]);
    aliceSocket.close();
    bobSocket.close();
  });

  it("acknowledges a retry with the stored copy without broadcasting it again", async () => {
    const { sockets } = await roomWithSockets(t, "Alice", "Bob");
    const [aliceSocket, bobSocket] = sockets as [ChatClientSocket, ChatClientSocket];
    const heard: string[] = [];
    bobSocket.on("message", (message) => {
      if (message.kind === "text") heard.push(message.body);
    });
    const payload = { clientId: "retry-once-0001", body: "once" };
    const first = await aliceSocket.timeout(5000).emitWithAck("message:send", payload);
    const retry = await aliceSocket.timeout(5000).emitWithAck("message:send", payload);
    expect(retry).toEqual(first);
    await aliceSocket
      .timeout(5000)
      .emitWithAck("message:send", { clientId: "retry-marker-01", body: "marker" });
    await eventually(() => heard.includes("marker"), "Bob hears the marker");
    expect(heard).toEqual(["once", "marker"]);
    aliceSocket.close();
    bobSocket.close();
  });

  it("catches a returning client up on more than one page of missed messages", async () => {
    const roomCode = await newRoom(t.server);
    const alice = await joinAs(t.server, roomCode, "Alice", t.config);
    const missed = 1201;
    await t.server.store.appendMessages(
      Array.from({ length: missed }, (_, i) => ({
        roomCode,
        clientId: `missed-${String(i).padStart(5, "0")}`,
        kind: "text" as const,
        authorId: "someone-else",
        authorName: "Bob",
        body: `missed ${i}`,
        createdAt: Date.now(),
      })),
    );
    const total = (await t.server.store.latestMessages(roomCode, 2000)).length;
    expect(total).toBeGreaterThan(missed);
    const { room } = personConnection(t.server.url, alice);
    await eventually(() => room.getSnapshot().messages.length === total, "caught up", 20_000);
    const seqs = room.getSnapshot().messages.map((message) => message.seq);
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    room.close();
  });
});
