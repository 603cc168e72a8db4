// Who may open a socket and what it may touch: a real server, real cookies, socket.io-client.
import { describe, expect, it, vi } from "vitest";
import type { ChatMessage } from "@/lib/chat-events";
import {
  connectOutcome,
  connectSocket,
  connected,
  engineHandshake,
  eventually,
  joinAs,
  newRoom,
  sessionCookie,
  withTestServer,
} from "../support/server";

const t = withTestServer({ ALLOWED_ORIGINS: "https://chat.example.org" }, "all");

const refusal = (cookie: string | undefined, origin?: string) =>
  connectOutcome(t.server.url, { cookie, origin });

const handshakeStatus = async (origin: string) =>
  (await engineHandshake(t.server.url, origin)).status;

describe("the socket handshake", () => {
  it("refuses a socket without a session cookie", async () => {
    expect(await refusal(undefined)).toBe("unauthorized");
  });

  it("refuses a cookie sealed with another secret", async () => {
    const foreign = await sessionCookie(
      {
        sessionSecrets: ["a-completely-different-secret-of-enough-length"],
        sessionMaxAgeSeconds: 3600,
      },
      { userId: "u1", name: "Mallory", rooms: [await newRoom(t.server)] },
    );
    expect(await refusal(foreign)).toBe("unauthorized");
  });

  it("refuses a tampered cookie", async () => {
    const roomCode = await newRoom(t.server);
    const person = await joinAs(t.server, roomCode, "Tam", t.config);
    const [name, seal] = person.cookie.split("=") as [string, string];
    const flipped = seal.slice(0, 40) + (seal[40] === "a" ? "b" : "a") + seal.slice(41);
    expect(await refusal(`${name}=${flipped}`)).toBe("unauthorized");
    expect(await refusal(person.cookie)).toBe("connected");
  });

  it("refuses a cookie whose seal is past its lifetime", async () => {
    const roomCode = await newRoom(t.server);
    const person = await joinAs(t.server, roomCode, "Expired", t.config);
    const session = { userId: person.userId, name: person.name, rooms: [roomCode] };
    // Sealed long enough ago that its lifetime, and iron's minute of clock skew, are over.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() - (t.config.sessionMaxAgeSeconds + 120) * 1000);
    const expired = await sessionCookie(t.config, session).finally(() => vi.useRealTimers());
    expect(await refusal(expired)).toBe("unauthorized");
    // The same session sealed now opens the room: only the age differs.
    expect(await refusal(await sessionCookie(t.config, session))).toBe("connected");
  });

  it("refuses a valid session of someone who is not (or no longer) a member", async () => {
    const roomCode = await newRoom(t.server);
    const stranger = await sessionCookie(t.config, {
      userId: "never-joined",
      name: "Eve",
      rooms: [roomCode],
    });
    expect(await refusal(stranger)).toBe("not-member");

    const person = await joinAs(t.server, roomCode, "Leaver", t.config);
    expect(await refusal(person.cookie)).toBe("connected");
    await t.server.chat.membership.leave(roomCode, person.userId);
    expect(await refusal(person.cookie)).toBe("not-member");
  });

  it("refuses while the store is down, and logs the outage once rather than per attempt", async () => {
    const roomCode = await newRoom(t.server);
    const person = await joinAs(t.server, roomCode, "Outage", t.config);
    const store = t.server.store;
    const getMember = store.getMember;
    store.getMember = () => Promise.reject(new Error("database is down"));
    try {
      for (let attempt = 0; attempt < 3; attempt++)
        expect(await refusal(person.cookie)).toBe("unavailable");
    } finally {
      store.getMember = getMember;
    }
    const lines = t.logs.filter((line) => line.msg === "handshake session check failed");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      step: "handshake",
      err: { message: "database is down" },
    });
    expect(lines[0]!.socketId).toEqual(expect.any(String));
    expect(await refusal(person.cookie)).toBe("connected");
  });

  it("refuses pages from a foreign origin and accepts our own and configured ones", async () => {
    const roomCode = await newRoom(t.server);
    const person = await joinAs(t.server, roomCode, "Origin", t.config);
    const host = new URL(t.server.url).host;

    expect(await handshakeStatus("https://evil.example.com")).toBe(403);
    expect(await handshakeStatus("null")).toBe(403);
    expect(await handshakeStatus(`http://${host}`)).toBe(200);
    expect(await handshakeStatus("https://chat.example.org")).toBe(200);
    // The WebSocket upgrade is checked too, not only the polling handshake.
    expect(await refusal(person.cookie, "https://evil.example.com")).not.toBe("connected");
    expect(await refusal(person.cookie, `http://${host}`)).toBe("connected");
  });
});

describe("a connected socket", () => {
  it("reads and writes only the room its session names", async () => {
    const roomA = await newRoom(t.server);
    const roomB = await newRoom(t.server);
    const alice = await joinAs(t.server, roomA, "Alice", t.config);
    const bob = await joinAs(t.server, roomB, "Bob", t.config);
    const aliceSocket = connectSocket(t.server.url, { cookie: alice.cookie });
    const bobSocket = connectSocket(t.server.url, { cookie: bob.cookie });
    await Promise.all([connected(aliceSocket), connected(bobSocket)]);
    const bobHeard: string[] = [];
    bobSocket.on("message", (message) => bobHeard.push(message.body));

    // There is no way to name another room: an extra field makes the payload invalid.
    const smuggled = await aliceSocket.timeout(2000).emitWithAck("message:send", {
      clientId: "smuggled-0001",
      body: "to B",
      roomCode: roomB,
    } as never);
    expect(smuggled).toMatchObject({ ok: false, code: "invalid" });

    const sent = await aliceSocket
      .timeout(2000)
      .emitWithAck("message:send", { clientId: "honest-0001", body: "in A" });
    expect(sent).toMatchObject({ ok: true, message: { body: "in A" } });
    expect((await t.server.store.latestMessages(roomA, 50)).map((m) => m.body)).toContain("in A");

    const history = await bobSocket.timeout(2000).emitWithAck("history:after", { afterSeq: 0 });
    expect(history.ok && history.messages.map((m: ChatMessage) => m.body)).not.toContain("to B");
    expect(history.ok && history.messages.map((m: ChatMessage) => m.body)).not.toContain("in A");
    expect((await t.server.store.latestMessages(roomB, 50)).some((m) => m.kind === "text")).toBe(
      false,
    );
    // Room B's own next message reaches Bob after anything sent to B before it.
    await bobSocket
      .timeout(2000)
      .emitWithAck("message:send", { clientId: "in-b-0001", body: "in B" });
    await eventually(() => bobHeard.includes("in B"), "Bob heard his room");
    expect(bobHeard).toEqual(["in B"]);
    aliceSocket.close();
    bobSocket.close();
  });

  it("is disconnected and told so when its session leaves the room", async () => {
    const roomCode = await newRoom(t.server);
    const person = await joinAs(t.server, roomCode, "Quitter", t.config);
    const socket = connectSocket(t.server.url, { cookie: person.cookie });
    await connected(socket);
    let ended: string | undefined;
    socket.on("session:ended", ({ reason }) => (ended = reason));
    await t.server.chat.membership.leave(roomCode, person.userId);
    await eventually(() => ended === "left" && !socket.connected, "socket ended after leaving");
    socket.close();
  });
});
