// Real parts for integration tests: the app's server on a free port with a temp SQLite file,
// session cookies sealed the way the app seals them, and socket.io-client connections.
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { io } from "socket.io-client";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import type { ChatMessage } from "@/lib/chat-events";
import {
  createRoomConnection,
  type ChatClientSocket,
  type RoomConnection,
} from "@/lib/client/room-connection";
import { startServer, type RunningServer } from "@/lib/server/app-server";
import { parseConfig, type Config } from "@/lib/server/config";
import { createLogger, type Logger } from "@/lib/server/logger";
import { createPassphraseHasher } from "@/lib/server/passphrase";
import { createRateLimiter } from "@/lib/server/rate-limit";
import { createRoom, type EntryDeps } from "@/lib/server/rooms";
import { SESSION_COOKIE, sealSession, type SessionData } from "@/lib/server/session";

export const TEST_SECRET = "integration-test-secret-0123456789-abcdefghij";

export function tempDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "roomcode-test-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return parseConfig({
    NODE_ENV: "test",
    SESSION_SECRET: TEST_SECRET,
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    PRESENCE_GRACE_MS: "300",
    LOG_LEVEL: "warn",
    ...env,
  });
}

/** A server's log lines, kept in memory so tests can read them; warnings and errors also printed. */
export function capturedLog(config: Config): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = {
    write(line: string) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (Number(entry.level) >= 40) process.stdout.write(line);
    },
  };
  return { log: createLogger(config, destination), lines };
}

export function startTestServer(
  config: Config,
  log = capturedLog(config).log,
): Promise<RunningServer> {
  return startServer({ config, log });
}

export interface TestServer {
  server: RunningServer;
  config: Config;
  /** Every line the current server logged. */
  logs: Record<string, unknown>[];
}

/**
 * A real server with its own SQLite file, fresh for each test (or shared by the file's tests),
 * stopped and removed afterwards. Tests may replace `server` (a restart); the newest is stopped.
 */
export function withTestServer(
  env: Record<string, string> = {},
  scope: "each" | "all" = "each",
): TestServer {
  const context = {} as TestServer;
  let data: ReturnType<typeof tempDataDir>;
  const [before, after] = scope === "each" ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    data = tempDataDir();
    context.config = testConfig(data.dir, env);
    const captured = capturedLog(context.config);
    context.logs = captured.lines;
    context.server = await startTestServer(context.config, captured.log);
  });
  after(async () => {
    await context.server.close();
    data.remove();
  });
  return context;
}

export interface Person {
  userId: string;
  name: string;
  roomCode: string;
  cookie: string;
}

/** A person who went through the join flow: a member of the room, holding a sealed cookie. */
export async function joinAs(
  server: RunningServer,
  roomCode: string,
  name: string,
  config: Config,
): Promise<Person> {
  const userId = `user-${name}-${Math.random().toString(36).slice(2)}`;
  await server.chat.membership.join(roomCode, { userId, name });
  return {
    userId,
    name,
    roomCode,
    cookie: await sessionCookie(config, { userId, name, rooms: [roomCode] }),
  };
}

/** A new room with these people in it (joined in this order), each with a connected socket. */
export async function roomWithSockets(t: TestServer, ...names: string[]) {
  const roomCode = await newRoom(t.server);
  const people: Person[] = [];
  for (const name of names) {
    people.push(await joinAs(t.server, roomCode, name, t.config));
    // Arrivals within a moment would be announced together: taking the room's turn in the log
    // stores each one now, as people joining one by one.
    await t.server.chat.messageLog.exclusive(roomCode, async () => undefined);
  }
  const sockets = people.map((person) => connectSocket(t.server.url, { cookie: person.cookie }));
  await Promise.all(sockets.map(connected));
  return { roomCode, people, sockets };
}

let sentTexts = 0;

/** A member's text message (a reply when `replyTo` is given), stored: the stored message. */
export async function sendText(
  socket: ChatClientSocket,
  body: string,
  replyTo?: number,
): Promise<ChatMessage> {
  const clientId = `text-${Date.now()}-${++sentTexts}`;
  const result = await socket
    .timeout(5000)
    .emitWithAck("message:send", { clientId, body, ...(replyTo ? { replyTo } : {}) });
  if (!result.ok) throw new Error(result.error);
  return result.message;
}

/**
 * A member sends a message carrying one small text file, stored first as the upload route stores
 * it: the stored message and the file's id.
 */
export async function sendWithTextFile(
  t: TestServer,
  sender: { roomCode: string; person: Person; socket: ChatClientSocket },
  file: { clientId: string; name: string; text: string },
): Promise<{ message: ChatMessage; fileId: string }> {
  const { roomCode, person, socket } = sender;
  const saved = await t.server.files.saveFile(
    {
      roomCode,
      uploaderId: person.userId,
      clientId: file.clientId,
      index: 0,
      name: file.name,
      type: "text/plain",
      createdAt: Date.now(),
    },
    { original: Readable.from([Buffer.from(file.text)]) },
  );
  const sent = await socket.timeout(5000).emitWithAck("message:send", {
    clientId: file.clientId,
    body: "",
    attachments: [saved.file.id],
  });
  if (!sent.ok) throw new Error(sent.error);
  return { message: sent.message, fileId: saved.file.id };
}

/** What the create/join decision needs: this server's store, and limits a test may tighten. */
export function entryDeps(server: RunningServer, overrides: Partial<EntryDeps> = {}): EntryDeps {
  const generous = { capacity: 1000, refillPerSecond: 1 };
  return {
    store: server.store,
    roomAttempts: createRateLimiter(generous),
    roomJoins: createRateLimiter(generous),
    passphrases: createPassphraseHasher({ atOnce: 2, queue: 32 }),
    membersPerRoom: 1000,
    ...overrides,
  };
}

export async function newRoom(server: RunningServer): Promise<string> {
  return createRoom(server.store);
}

export async function sessionCookie(
  config: Pick<Config, "sessionSecrets" | "sessionMaxAgeSeconds">,
  data: SessionData,
): Promise<string> {
  return `${SESSION_COOKIE}=${await sealSession(data, config)}`;
}

export function connectSocket(
  url: string,
  options: {
    cookie?: string;
    origin?: string;
    autoConnect?: boolean;
    roomCode?: string;
    headers?: Record<string, string>;
  } = {},
): ChatClientSocket {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin) headers.origin = options.origin;
  return io(url, {
    transports: ["websocket"],
    extraHeaders: headers,
    reconnectionDelay: 50,
    reconnectionDelayMax: 300,
    autoConnect: options.autoConnect ?? true,
    forceNew: true,
    ...(options.roomCode ? { auth: { roomCode: options.roomCode } } : {}),
  });
}

/** Resolves when the socket connects; rejects with the server's refusal. */
export function connected(socket: ChatClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
}

/** How a connection attempt ends: "connected", or the server's refusal (its error message). */
export async function connectOutcome(
  url: string,
  options: Parameters<typeof connectSocket>[1],
): Promise<string> {
  const socket = connectSocket(url, options);
  try {
    await connected(socket);
    return "connected";
  } catch (error) {
    return (error as Error).message;
  } finally {
    socket.close();
  }
}

/** The app's own client delivery logic, over a socket with this person's cookie. */
export function personConnection(
  url: string,
  person: Person,
): { socket: ChatClientSocket; room: RoomConnection } {
  const socket = connectSocket(url, { cookie: person.cookie, autoConnect: false });
  const room = createRoomConnection({
    socket,
    userId: person.userId,
    initial: { messages: [], hasOlder: false, members: [] },
    ackTimeoutMs: 1000,
  });
  room.setOnline(true);
  return { socket, room };
}

/** Polls until `check` holds (or fails with `message` after `timeoutMs`). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  message: string,
  timeoutMs = 10_000,
  everyMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export function texts(messages: readonly ChatMessage[]): string[] {
  return messages.filter((message) => message.kind === "text").map((message) => message.body);
}

/** The Engine.IO handshake over plain HTTP, as a page from `origin` would start it. */
export function engineHandshake(
  url: string,
  origin: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/socket.io/?EIO=4&transport=polling`,
      { headers: { origin } },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject).end();
  });
}
