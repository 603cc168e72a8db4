// Who is in the room: tabs count once, blips make no noise, departures are announced after a grace period.
import { describe, expect, it } from "vitest";
import type { Member } from "@/lib/chat-events";
import { chooseRoom } from "@/lib/server/rooms";
import type { ChatClientSocket } from "@/lib/client/room-connection";
import {
  connectSocket,
  entryDeps,
  connected,
  eventually,
  joinAs,
  newRoom,
  withTestServer,
  roomWithSockets,
} from "../support/server";

const t = withTestServer({ PRESENCE_GRACE_MS: "300" });

const notices = async (roomCode: string) =>
  (await t.server.store.latestMessages(roomCode, 100))
    .filter((message) => message.kind !== "text")
    .map((message) => `${message.authorName} ${message.kind}`);

describe("presence", () => {
  it("lists one person with several tabs once, and a closed tab is not a departure", async () => {
    const roomCode = await newRoom(t.server);
    const alice = await joinAs(t.server, roomCode, "Alice", t.config);
    const bob = await joinAs(t.server, roomCode, "Bob", t.config);
    const bobSocket = connectSocket(t.server.url, { cookie: bob.cookie });
    let members: Member[] = [];
    bobSocket.on("presence", (payload) => (members = payload.members));
    const tabs = [1, 2, 3].map(() => connectSocket(t.server.url, { cookie: alice.cookie }));
    await Promise.all([bobSocket, ...tabs].map(connected));

    await eventually(() => members.length === 2, "two members listed");
    expect(members.map((member) => member.name).sort()).toEqual(["Alice", "Bob"]);
    tabs[0]!.close();
    tabs[1]!.close();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await notices(roomCode)).toEqual(["Alice joined", "Bob joined"]);
    expect(members).toHaveLength(2);
    tabs[2]!.close();
    bobSocket.close();
  });

  it("announces a refresh as nothing, and a departure after the grace period", async () => {
    const roomCode = await newRoom(t.server);
    const alice = await joinAs(t.server, roomCode, "Alice", t.config);
    const first = connectSocket(t.server.url, { cookie: alice.cookie });
    await connected(first);
    first.close();
    // A refresh: the new page connects well within the grace period.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = connectSocket(t.server.url, { cookie: alice.cookie });
    await connected(second);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await notices(roomCode)).toEqual(["Alice joined"]);

    second.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await notices(roomCode)).toEqual(["Alice joined", "Alice left"]);
    expect(await t.server.store.presentMembers(roomCode)).toEqual([]);
  });

  it("refuses a name someone present in the room already has, whatever its case", async () => {
    const roomCode = await newRoom(t.server);
    await joinAs(t.server, roomCode, "Alice", t.config);
    const deps = entryDeps(t.server);
    const taken = await chooseRoom(deps, {
      intent: "join",
      name: "aLiCe",
      code: roomCode,
      userId: "other",
      ip: "1",
    });
    expect(taken).toMatchObject({ ok: false, error: expect.stringMatching(/already called/) });
    const free = await chooseRoom(deps, {
      intent: "join",
      name: "Alicia",
      code: roomCode,
      userId: "other",
      ip: "1",
    });
    expect(free).toEqual({ ok: true, roomCode, name: "Alicia" });
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
});
