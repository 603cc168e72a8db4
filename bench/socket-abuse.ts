// What one hostile client can make the server do over its own socket, measured against a real
// server process: a typing flood (relays at a bystander, another room's ack latency) and a
// catch-up flood (server RSS, with clients that read and clients that never read).
// Bounded: 127.0.0.1 only, fixed counts, about a minute. Run: npx tsx bench/socket-abuse.ts
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import { createRoom } from "@/lib/server/rooms";
import { SESSION_COOKIE, sealSession } from "@/lib/server/session";
import { openSqliteStore } from "@/lib/server/store/sqlite";

const SECRET = "socket-abuse-bench-secret-0123456789-abcdefgh";
const TOGGLES = 20_000;
const CATCH_UP_SOCKETS = 3;
const CATCH_UP_REQUESTS = 150;
const STORED_MESSAGES = 600;

const dataDir = mkdtempSync(path.join(tmpdir(), "roomcode-abuse-"));
const databasePath = path.join(dataDir, "roomcode.db");

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.resolve("test/support/cluster-node.ts")],
    {
      env: {
        ...process.env,
        NODE_ENV: "test",
        SESSION_SECRET: SECRET,
        HOST: "127.0.0.1",
        PORT: "0",
        DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
        MESSAGE_RATE_PER_SECOND: "1000",
        MESSAGE_BURST: "1000",
        CONNECTIONS_PER_IP: "500",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /READY (\d+)/.exec(output);
      if (ready) resolve({ child, url: `http://127.0.0.1:${ready[1]}` });
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}

const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

const store = openSqliteStore(databasePath);
let people = 0;

async function member(roomCode: string): Promise<string> {
  const userId = `bench-${++people}`;
  await store.addMember(roomCode, { userId, name: `Person ${people}` }, Date.now());
  return `${SESSION_COOKIE}=${await sealSession(
    { userId, name: `Person ${people}`, rooms: [roomCode] },
    { sessionSecrets: [SECRET], sessionMaxAgeSeconds: 3600 },
  )}`;
}

function connect(url: string, cookie: string): Promise<Socket> {
  const socket = io(url, {
    transports: ["websocket"],
    extraHeaders: { cookie },
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ??
  NaN;

async function ackLatencies(socket: Socket, count: number, tag: string): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await socket
      .timeout(30_000)
      .emitWithAck("message:send", { clientId: `${tag}-${i}-padding`, body: "ping" });
    latencies.push(performance.now() - started);
    await sleep(50);
  }
  return latencies;
}

async function typingFlood(url: string): Promise<void> {
  const floodRoom = await createRoom(store);
  const quietRoom = await createRoom(store);
  const flooder = await connect(url, await member(floodRoom));
  const bystanders = await Promise.all(
    Array.from({ length: 29 }, async () => connect(url, await member(floodRoom))),
  );
  const talker = await connect(url, await member(quietRoom));
  let relayed = 0;
  bystanders[0]!.on("typing", () => relayed++);

  const before = await ackLatencies(talker, 20, "before");
  const during = ackLatencies(talker, 40, "during");
  const started = performance.now();
  for (let i = 0; i < TOGGLES; i++) {
    flooder.emit("typing", { typing: i % 2 === 0 });
    if (i % 500 === 0) await sleep(0);
  }
  const sentMs = performance.now() - started;
  const duringLatencies = await during;
  await sleep(1000);
  console.log(
    `typing flood: ${TOGGLES} toggles sent in ${sentMs.toFixed(0)} ms; one bystander received ${relayed} typing events; ` +
      `other room ack p50/max before ${percentile(before, 0.5).toFixed(1)}/${Math.max(...before).toFixed(1)} ms, ` +
      `during ${percentile(duringLatencies, 0.5).toFixed(1)}/${Math.max(...duringLatencies).toFixed(1)} ms`,
  );
  [flooder, talker, ...bystanders].forEach((socket) => socket.close());
}

async function catchUpFlood(url: string, pid: number, readers: boolean): Promise<void> {
  const roomCode = await createRoom(store);
  for (let i = 0; i < STORED_MESSAGES; i++) {
    await store.appendMessage({
      roomCode,
      clientId: null,
      kind: "text",
      authorId: "seed",
      authorName: "Seed",
      body: "\u00e9".repeat(2000),
      createdAt: Date.now(),
    });
  }
  const sockets = await Promise.all(
    Array.from({ length: CATCH_UP_SOCKETS }, async () => connect(url, await member(roomCode))),
  );
  await sleep(500);
  const baseline = rssMb(pid);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
  let answered = 0;
  let refused = 0;
  let bytes = 0;
  let disconnected = 0;
  for (const socket of sockets) {
    socket.on("disconnect", () => disconnected++);
    // A client that never reads its socket: the server's replies pile up on its side.
    if (!readers)
      (
        socket.io.engine.transport as unknown as { ws: { _socket: { pause(): void } } }
      ).ws._socket.pause();
    for (let i = 0; i < CATCH_UP_REQUESTS; i++) {
      socket.emit(
        "history:after",
        { afterSeq: 0 },
        (result: { ok: boolean; messages?: unknown[] }) => {
          if (result.ok) {
            answered++;
            bytes += JSON.stringify(result).length;
          } else refused++;
        },
      );
    }
  }
  const started = performance.now();
  const total = CATCH_UP_SOCKETS * CATCH_UP_REQUESTS;
  while (performance.now() - started < 15_000 && (readers ? answered + refused < total : true)) {
    if (!readers && performance.now() - started > 6000) break;
    await sleep(100);
  }
  await sleep(500);
  const held = rssMb(pid);
  clearInterval(sampler);
  console.log(
    `catch-up flood (${readers ? "clients read" : "clients never read"}): ${CATCH_UP_SOCKETS} sockets × ${CATCH_UP_REQUESTS} history:after; ` +
      `server RSS ${baseline.toFixed(0)} MB → peak ${peak.toFixed(0)} MB, ${held.toFixed(0)} MB after; ` +
      `${answered} answered (${(bytes / answered / 1024 || 0).toFixed(0)} KB each), ${refused} refused, ${disconnected} sockets disconnected`,
  );
  sockets.forEach((socket) => socket.close());
}

async function main(): Promise<void> {
  const { child, url } = await startServer();
  try {
    await typingFlood(url);
    await catchUpFlood(url, child.pid!, true);
    await catchUpFlood(url, child.pid!, false);
  } finally {
    child.kill("SIGTERM");
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
