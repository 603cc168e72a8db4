// Uploads under load: N concurrent uploads of one size into a room while two people chat in it,
// against a server in its own process. Reports upload throughput, the chat's acknowledgement
// p50/p99 before and during the uploads, and the server's peak RSS (VmHWM), which streaming should
// keep flat whatever the file size. Run: npx tsx bench/uploads.ts [count] [MB] [image|file]
import { spawn } from "node:child_process";
import http from "node:http";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { io, type Socket } from "socket.io-client";
import { generateRoomCode } from "@/lib/room-code";
import { SESSION_COOKIE, sealSession } from "@/lib/server/session";
import { openSqliteStore } from "@/lib/server/store/sqlite";
import { fileUploadUrl } from "@/lib/chat-events";

const SECRET = "upload-bench-secret-0123456789-abcdefghijklmnop";

const [count = 100, megabytes = 5] = process.argv.slice(2, 4).map(Number);
const kind = process.argv[4] === "image" ? "image" : "file";
const CHAT_INTERVAL_MS = 50;

const peakRssMb = (pid: number) =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
/** CPU seconds the server process has used (user + system). */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** Noise compresses badly, so a JPEG of noise reaches the size asked for at a realistic pixel count. */
async function content(): Promise<Buffer> {
  if (kind === "file") return randomBytes(megabytes * 1024 * 1024);
  const side = Math.round(Math.sqrt((megabytes * 1024 * 1024) / 1.2));
  const raw = randomBytes(side * side * 3);
  return sharp(raw, { raw: { width: side, height: side, channels: 3 } })
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** The app's server without Next, in its own process (the cluster tests' node). */
async function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/cluster-node.ts"], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      SESSION_SECRET: SECRET,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /READY (\d+)/.exec(output);
      if (ready) resolve(Number(ready[1]));
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill("SIGTERM") };
}

/** One multipart upload over plain http: fetch's FormData costs the load generator too much CPU. */
function upload(url: string, cookie: string, bytes: Buffer, name: string): Promise<number> {
  const boundary = `bench${randomBytes(8).toString("hex")}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: "POST",
      headers: {
        cookie,
        "Content-Type": `multipart/form-data; boundary=${boundary}`,
        "Content-Length": head.length + bytes.length + tail.length,
      },
    });
    request.once("response", (response) => {
      response.resume();
      response.once("end", () => resolve(response.statusCode ?? 0));
    });
    request.once("error", reject);
    request.write(head);
    request.write(bytes);
    request.end(tail);
  });
}

function connect(url: string, cookie: string): Promise<Socket> {
  const socket = io(url, { transports: ["websocket"], extraHeaders: { cookie }, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roomcode-upload-bench-"));
  const node = await startServer({
    DATA_DIR: dataDir,
    FILE_MAX_MB: String(megabytes * 2),
    ROOM_FILES_MAX_MB: String(count * megabytes * 3),
    UPLOADS_PER_MINUTE: String(count * 2),
    MESSAGE_RATE_PER_SECOND: "1000",
    MESSAGE_BURST: "1000",
  });
  try {
    const store = openSqliteStore(path.join(dataDir, "roomcode.db"));
    const roomCode = generateRoomCode();
    await store.createRoom(roomCode, Date.now());
    const people = await Promise.all(
      ["Ada", "Bob"].map(async (name) => {
        const userId = `bench-${name}`;
        await store.addMember(roomCode, { userId, name }, Date.now());
        const seal = await sealSession(
          { userId, name, rooms: [roomCode] },
          { sessionSecrets: [SECRET], sessionMaxAgeSeconds: 3600 },
        );
        const cookie = `${SESSION_COOKIE}=${seal}`;
        return { roomCode, cookie };
      }),
    );
    await store.close();
    const [ada, bob] = people as [(typeof people)[0], (typeof people)[0]];
    const [socket, listener] = await Promise.all([
      connect(node.url, ada.cookie),
      connect(node.url, bob.cookie),
    ]);

    let phase: "before" | "during" | "after" = "before";
    const latencies = { before: [] as number[], during: [] as number[], after: [] as number[] };
    let sent = 0;
    const chat = setInterval(() => {
      const started = performance.now();
      const current = phase;
      void socket
        .timeout(10_000)
        .emitWithAck("message:send", { clientId: `bench-msg-${sent++}`, body: "hello" })
        .then(
          () => latencies[current].push(performance.now() - started),
          () => undefined,
        );
    }, CHAT_INTERVAL_MS);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const idleRss = peakRssMb(node.pid);

    const bytes = await content();
    phase = "during";
    const cpuBefore = cpuSeconds(node.pid);
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        upload(
          node.url + fileUploadUrl(roomCode, `bench-upload-${index}`, 0),
          bob.cookie,
          bytes,
          kind === "image" ? `p${index}.jpg` : `f${index}.bin`,
        ),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const serverCpu = cpuSeconds(node.pid) - cpuBefore;
    phase = "after";
    await new Promise((resolve) => setTimeout(resolve, 1000));
    clearInterval(chat);
    const stored = results.filter((status) => status === 201).length;
    const totalMb = (bytes.length * count) / 1024 / 1024;
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    console.log(
      JSON.stringify(
        {
          uploads: `${count} × ${(bytes.length / 1024 / 1024).toFixed(1)} MB ${kind}s`,
          stored,
          seconds: Number(seconds.toFixed(2)),
          throughputMBps: Number((totalMb / seconds).toFixed(1)),
          serverCpuSeconds: Number(serverCpu.toFixed(2)),
          chatAckBefore: `p50 ${ms(percentile(latencies.before, 50))}, p99 ${ms(percentile(latencies.before, 99))}`,
          chatAckDuring: `p50 ${ms(percentile(latencies.during, 50))}, p99 ${ms(percentile(latencies.during, 99))} (${latencies.during.length} messages)`,
          peakRssMb: {
            idle: Math.round(idleRss),
            overall: Math.round(peakRssMb(node.pid)),
          },
        },
        null,
        2,
      ),
    );
    socket.disconnect();
    listener.disconnect();
  } finally {
    node.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
