// Several nodes on one Redis and one PostgreSQL work as one app, and nothing acknowledged is lost
// when a node dies. Run with `npm run test:cluster` (needs DATABASE_URL and REDIS_URL).
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileUrl, type Member } from "@/lib/chat-events";
import { generateRoomCode } from "@/lib/room-code";
import { createLogger } from "@/lib/server/logger";
import { openPostgresStore } from "@/lib/server/store/postgres";
import type { ChatStore } from "@/lib/server/store/types";
import { expectEveryClientHolds, runChaos } from "../support/chaos";
import { uploadFile } from "../support/files";
import { isolatedCluster, startBalancer, startNode, type ClusterNode } from "../support/cluster";
import {
  TEST_SECRET,
  connectSocket,
  connected,
  eventually,
  sessionCookie,
  texts,
  type Person,
  personConnection,
} from "../support/server";

const testLog = createLogger({ logLevel: "silent" });
const SESSION = { sessionSecrets: [TEST_SECRET], sessionMaxAgeSeconds: 3600 };
const NODE_ENV = {
  PRESENCE_GRACE_MS: "500",
  PRESENCE_SWEEP_MS: "500",
  // 3 s: a dead node's members are stored as "left" within the test, once for both nodes.
  AWAY_NOTICE_MINUTES: "0.05",
  MESSAGE_RATE_PER_SECOND: "10000",
  MESSAGE_BURST: "10000",
  // Every test person connects from 127.0.0.1: the hall-behind-one-NAT budget must not cut the
  // latency probes short.
  MESSAGE_RATE_PER_ADDRESS: "10000",
  MESSAGE_BURST_PER_ADDRESS: "10000",
};

let cluster: ReturnType<typeof isolatedCluster>;
let store: ChatStore;
let nodes: ClusterNode[];

beforeEach(async () => {
  cluster = isolatedCluster();
  nodes = await Promise.all([
    startNode({ ...cluster.env, ...NODE_ENV }),
    startNode({ ...cluster.env, ...NODE_ENV }),
  ]);
  store = await openPostgresStore({
    connectionString: cluster.env.DATABASE_URL!,
    schema: cluster.env.DATABASE_SCHEMA,
    log: testLog,
  });
});

afterEach(async () => {
  await Promise.all(nodes.map((node) => node.stop()));
  await store.close();
  await cluster.cleanUp();
});

async function roomWith(...names: string[]): Promise<{ roomCode: string; people: Person[] }> {
  const roomCode = generateRoomCode();
  await store.createRoom(roomCode, Date.now());
  const people = await Promise.all(
    names.map(async (name) => {
      const userId = `user-${name}-${Math.random().toString(36).slice(2)}`;
      await store.addMember(roomCode, { userId, name }, Date.now());
      return {
        userId,
        name,
        roomCode,
        cookie: await sessionCookie(SESSION, { userId, name, rooms: [roomCode] }),
      };
    }),
  );
  return { roomCode, people };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!process.env.DATABASE_URL || !process.env.REDIS_URL)("two nodes", () => {
  it("share files: one uploaded through node 1 is sent and served through node 2", async () => {
    const { roomCode, people } = await roomWith("Alice", "Bob");
    const [alice, bob] = people as [Person, Person];
    const bytes = Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(600_000)]);
    const key = { clientId: "shared-file-0001", index: 0 };
    const { status, result } = await uploadFile(
      nodes[0]!.url,
      alice,
      { bytes, name: "a.pdf" },
      key,
    );
    expect(status).toBe(201);
    if (!result.ok) throw new Error(result.error);
    // The retry lands on the other node: it finds the stored copy rather than storing another.
    const again = await uploadFile(nodes[1]!.url, alice, { bytes, name: "a.pdf" }, key);
    expect(again).toEqual({ status: 200, result });

    const aliceSocket = connectSocket(nodes[1]!.url, { cookie: alice.cookie });
    await connected(aliceSocket);
    const sent = await aliceSocket.timeout(2000).emitWithAck("message:send", {
      clientId: key.clientId,
      body: "",
      attachments: [result.file.id],
    });
    expect(sent.ok && sent.message.attachments).toEqual([result.file]);
    aliceSocket.disconnect();

    const served = await fetch(nodes[1]!.url + fileUrl(roomCode, result.file.id), {
      headers: { cookie: bob.cookie },
    });
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("carry edits, reactions and deletes made on node 1 live to a reader on node 2", async () => {
    const { roomCode, people } = await roomWith("Alice", "Bob");
    const [alice, bob] = people as [Person, Person];
    const aliceSocket = connectSocket(nodes[0]!.url, { cookie: alice.cookie });
    await connected(aliceSocket);
    const reader = personConnection(nodes[1]!.url, bob);
    await eventually(() => reader.socket.connected, "Bob is connected to node 2");
    const send = async (body: string) => {
      const sent = await aliceSocket
        .timeout(2000)
        .emitWithAck("message:send", { clientId: randomBytes(8).toString("hex"), body });
      if (!sent.ok) throw new Error(sent.error);
      return sent.message.seq;
    };
    const act = (action: object) =>
      aliceSocket.timeout(2000).emitWithAck("message:action", {
        clientId: randomBytes(8).toString("hex"),
        ...action,
      } as never);
    const [kept, gone] = [await send("hello wrold"), await send("oops")];
    const bobSees = (seq: number) =>
      reader.room.getSnapshot().messages.find((message) => message.seq === seq);
    await eventually(() => bobSees(gone) !== undefined, "Bob has both messages");

    expect((await act({ type: "edit", seq: kept, body: "hello world" })).ok).toBe(true);
    await eventually(() => bobSees(kept)?.body === "hello world", "the edit reached node 2");
    expect((await act({ type: "react", seq: kept, emoji: "👍", on: true })).ok).toBe(true);
    await eventually(() => bobSees(kept)?.reactions?.[0]?.emoji === "👍", "the reaction too");
    expect((await act({ type: "delete", seq: gone })).ok).toBe(true);
    await eventually(() => bobSees(gone)?.deleted === true, "and the delete");
    const stored = await store.latestMessages(roomCode, 10);
    expect(stored.find((message) => message.seq === kept)).toMatchObject({
      body: "hello world",
      reactions: [{ emoji: "👍", by: [{ userId: alice.userId }] }],
    });
    reader.room.close();
    aliceSocket.disconnect();
  });

  it("carry one conversation: messages both ways in order, the same presence on both", async () => {
    const { roomCode, people } = await roomWith("Alice", "Bob");
    const [alice, bob] = people as [Person, Person];
    const aliceSocket = connectSocket(nodes[0]!.url, { cookie: alice.cookie });
    const bobSocket = connectSocket(nodes[1]!.url, { cookie: bob.cookie });
    const heard: Record<string, string[]> = { Alice: [], Bob: [] };
    const presence: Record<string, Member[]> = { Alice: [], Bob: [] };
    for (const [name, socket] of [
      ["Alice", aliceSocket],
      ["Bob", bobSocket],
    ] as const) {
      socket.on("message", (message) => message.kind === "text" && heard[name]!.push(message.body));
      socket.on("presence", ({ members }) => (presence[name] = members));
    }
    await Promise.all([connected(aliceSocket), connected(bobSocket)]);

    for (let i = 0; i < 20; i++) {
      const [from, socket] = i % 2 === 0 ? ["Alice", aliceSocket] : ["Bob", bobSocket];
      await socket.timeout(2000).emitWithAck("message:send", {
        clientId: `both-ways-${String(i).padStart(3, "0")}`,
        body: `${from} ${i}`,
      });
    }
    const expected = Array.from({ length: 20 }, (_, i) => `${i % 2 === 0 ? "Alice" : "Bob"} ${i}`);
    await eventually(
      () => heard.Alice!.length === 20 && heard.Bob!.length === 20,
      "both heard all 20",
    );
    expect(heard.Alice).toEqual(expected);
    expect(heard.Bob).toEqual(expected);
    expect(texts(await store.messagesAfter(roomCode, 0, 100))).toEqual(expected);
    await eventually(
      () => presence.Alice!.length === 2 && presence.Bob!.length === 2,
      "presence on both nodes",
    );
    expect(presence.Alice).toEqual(presence.Bob);

    // Cross-node delivery latency at a steady rate: sent on node 1, received on node 2.
    const RATE = 100;
    const COUNT = 300;
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    bobSocket.on("message", (message) => {
      const sent = sentAt.get(message.body);
      if (sent !== undefined) latencies.push(performance.now() - sent);
    });
    for (let i = 0; i < COUNT; i++) {
      const body = `latency ${i}`;
      sentAt.set(body, performance.now());
      aliceSocket.emit(
        "message:send",
        { clientId: `latency-${String(i).padStart(4, "0")}`, body },
        () => {},
      );
      await sleep(1000 / RATE);
    }
    await eventually(() => latencies.length === COUNT, "all latency probes received");
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      `cross-node delivery at ${RATE} msg/s (node 1 → Redis Streams → node 2, stored in PostgreSQL first): ` +
        `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms over ${COUNT} messages`,
    );
    aliceSocket.close();
    bobSocket.close();
  });

  it("share one message budget: a person flooding through both nodes gets one allowance, not two", async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    // Each tab may send a burst of 5; a person's tabs together twice that, wherever they connect.
    const tight = { ...cluster.env, ...NODE_ENV, MESSAGE_RATE_PER_SECOND: "1", MESSAGE_BURST: "5" };
    nodes = await Promise.all([startNode(tight), startNode(tight)]);
    const { people } = await roomWith("Flooder");
    // Two tabs on each node: their own limits would let 20 through, a person's bucket per node too.
    const sockets = [0, 0, 1, 1].map((node) =>
      connectSocket(nodes[node]!.url, { cookie: people[0]!.cookie }),
    );
    await Promise.all(sockets.map(connected));

    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        sockets[i % 4]!.timeout(5000).emitWithAck("message:send", {
          clientId: `both-nodes-${String(i).padStart(4, "0")}`,
          body: `flood ${i}`,
        }),
      ),
    );
    // The person's burst, plus what their bucket refilled (two a second) meanwhile.
    const refilled = 2 * Math.floor((performance.now() - started) / 1000);
    const accepted = results.filter((result) => result.ok).length;
    expect(accepted).toBeGreaterThanOrEqual(10);
    expect(accepted).toBeLessThanOrEqual(10 + refilled);
    const refusedThrough = (node: number) =>
      results.filter(
        (result, i) => (i % 4 < 2 ? 0 : 1) === node && !result.ok && result.code === "rate-limited",
      ).length;
    expect(refusedThrough(0)).toBeGreaterThan(0);
    expect(refusedThrough(1)).toBeGreaterThan(0);
    sockets.forEach((socket) => socket.close());
  });

  it("end a removed member's tabs on the other node at once, and keep them out of both", async () => {
    const roomCode = generateRoomCode();
    await store.createRoom(roomCode, Date.now());
    const people: Person[] = [];
    // One after the other: the first member is the owner.
    for (const name of ["Olga", "Max"]) {
      const userId = `user-${name}-${randomBytes(4).toString("hex")}`;
      await store.addMember(roomCode, { userId, name }, Date.now());
      const cookie = await sessionCookie(SESSION, { userId, name, rooms: [roomCode] });
      people.push({ userId, name, roomCode, cookie });
    }
    const [olga, max] = people as [Person, Person];
    const owner = connectSocket(nodes[0]!.url, { cookie: olga.cookie });
    const maxTabs = [0, 1].map(() => connectSocket(nodes[1]!.url, { cookie: max.cookie }));
    const reasons: string[][] = maxTabs.map(() => []);
    maxTabs.forEach((tab, index) =>
      tab.on("session:ended", ({ reason }) => reasons[index]!.push(reason)),
    );
    await Promise.all([owner, ...maxTabs].map(connected));

    const started = Date.now();
    expect(
      await owner.timeout(5000).emitWithAck("owner:action", { type: "remove", userId: max.userId }),
    ).toMatchObject({ ok: true });
    await eventually(
      () => reasons.every((list) => list.includes("removed")),
      "both of Max's tabs on node 2 were told",
      2000,
    );
    await eventually(() => maxTabs.every((tab) => !tab.connected), "both tabs closed", 2000);
    const endedAfterMs = Date.now() - started;
    console.log(`removal reached node 2's tabs in ${endedAfterMs} ms`);
    // At once: well within one presence sweep, so it is the adapter, not a sweep, that did it.
    expect(endedAfterMs).toBeLessThan(Number(NODE_ENV.PRESENCE_SWEEP_MS));

    for (const node of nodes) {
      const again = connectSocket(node.url, { cookie: max.cookie });
      await expect(connected(again)).rejects.toThrow("not-member");
      again.close();
    }
    expect(await store.getMember(roomCode, max.userId)).toBeNull();
    [owner, ...maxTabs].forEach((socket) => socket.close());
  });

  it("lists a person connected to both nodes once, and lets a dead node's members go after the grace period", async () => {
    const { roomCode, people } = await roomWith("Alice", "Bob", "Carol", "Dan");
    const [alice, bob, carol, dan] = people as [Person, Person, Person, Person];
    // Bob watches through the app's own client; Alice has a tab on each node.
    const watcher = personConnection(nodes[1]!.url, bob);
    const danSocket = connectSocket(nodes[1]!.url, { cookie: dan.cookie });
    const sockets = [
      connectSocket(nodes[0]!.url, { cookie: alice.cookie }),
      connectSocket(nodes[1]!.url, { cookie: alice.cookie }),
      connectSocket(nodes[0]!.url, { cookie: carol.cookie }),
      danSocket,
    ];
    await Promise.all(sockets.map(connected));
    const names = () =>
      watcher.room
        .getSnapshot()
        .members.map((member) => member.name)
        .join();
    await eventually(() => names() === "Alice,Bob,Carol,Dan", "four people listed");

    await nodes[0]!.kill();
    // Alice is still connected to node 2; Carol was only on node 1 and does not come back.
    await eventually(() => names() === "Alice,Bob,Dan", "Carol's presence expired", 15_000);
    const departures = async () =>
      (await store.messagesAfter(roomCode, 0, 100))
        .filter((m) => m.kind === "left")
        .map((m) => m.authorName);
    // Offline at once; "left" only after the away window, and stored once.
    await eventually(async () => (await departures()).length > 0, "Carol stored as left", 15_000);
    // Dan goes after Carol's line: by the time his is stored, the surviving node has swept past
    // Carol's absence again and could have stored her a second time.
    danSocket.close();
    await eventually(async () => (await departures()).length > 1, "Dan stored as left", 15_000);
    expect(await departures()).toEqual(["Carol", "Dan"]);
    sockets.forEach((socket) => socket.close());
    watcher.room.close();
  });

  it("lose nothing acknowledged when a node is killed mid-conversation", async () => {
    const { roomCode, people } = await roomWith("Alice", "Bob", "Carol", "Dan");
    const balancer = await startBalancer(() =>
      nodes
        .filter((node) => node.process.exitCode === null && !node.process.killed)
        .map((node) => node.port),
    );
    const clients = people.map((person) => ({ person, ...personConnection(balancer.url, person) }));
    await eventually(
      () => clients.every(({ room }) => room.getSnapshot().connection.status === "connected"),
      "all connected",
    );

    const acknowledged = new Set<string>();
    const senders = clients.map(async ({ person, room }) => {
      for (let i = 0; i < 40; i++) {
        room.send(`${person.name} ${i}`);
        await sleep(25);
      }
    });
    await sleep(400);
    await nodes[0]!.kill();
    await Promise.all(senders);

    await eventually(
      () => clients.every(({ room }) => room.getSnapshot().outbox.length === 0),
      "every outbox drained",
      30_000,
    );
    for (const { room } of clients)
      for (const message of room.getSnapshot().messages)
        if (message.kind === "text") acknowledged.add(message.body);
    const stored = await store.messagesAfter(roomCode, 0, 10_000);
    expect(stored.map((message) => message.seq)).toEqual(stored.map((_, index) => index + 1));
    expect(texts(stored).sort()).toEqual(
      people.flatMap((p) => Array.from({ length: 40 }, (_, i) => `${p.name} ${i}`)).sort(),
    );
    for (const body of acknowledged) expect(texts(stored)).toContain(body);
    await expectEveryClientHolds(clients, stored);
    clients.forEach(({ room }) => room.close());
    await balancer.close();
  });

  it("pass the chaos test with one node killed and restarted", async () => {
    const { roomCode, people } = await roomWith("P0", "P1", "P2", "P3", "P4");
    const alive = () =>
      nodes
        .filter((node) => node.process.exitCode === null && !node.process.killed)
        .map((node) => node.port);
    const balancer = await startBalancer(alive);
    const summary = await runChaos({
      url: balancer.url,
      people,
      messagesEach: 60,
      async disrupt() {
        const port = nodes[0]!.port;
        await nodes[0]!.kill();
        await sleep(500);
        nodes[0] = await startNode({ ...cluster.env, ...NODE_ENV }, port);
      },
      storedHistory: () => store.messagesAfter(roomCode, 0, 100_000),
    });
    console.log(`chaos (two nodes, one killed and restarted): ${summary}`);
    await balancer.close();
  });
});
