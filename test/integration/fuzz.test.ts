// Thousands of random and malformed payloads for every event: the server answers with errors or
// drops them, never crashes, never stores them, and still serves a normal client afterwards.
import { expect, it } from "vitest";
import { MESSAGE_MAX_LENGTH } from "@/lib/text-rules";
import {
  connectSocket,
  connected,
  joinAs,
  newRoom,
  texts,
  withTestServer,
} from "../support/server";
import type { ChatClientSocket } from "@/lib/client/room-connection";

const PAYLOADS = 3000;
const BATCH = 50;
const RAW_FRAMES = [
  "4",
  "42",
  "42[",
  '42["message:send"',
  "42{}",
  "43abc[]",
  "45-[]",
  "49",
  "4" + "[".repeat(5000),
  '42["message:send",{"clientId":1e999}]',
];
const TIME_LIMIT_MS = 60_000;
const EVENTS = [
  "message:send",
  "history:after",
  "history:before",
  "message:action",
  "typing",
  "unknown:event",
  "__proto__",
  "constructor",
  "message",
];

const t = withTestServer({ MESSAGE_RATE_PER_SECOND: "100000", MESSAGE_BURST: "100000" }, "all");

interface UntypedSocket {
  timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
  emit(event: string, ...args: unknown[]): void;
}

/** A small seeded generator (mulberry32), so a failing run can be replayed from its seed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function valueMaker(next: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const strings = () =>
    pick([
      "",
      " ",
      "x".repeat(MESSAGE_MAX_LENGTH + 1),
      "\u0000\u202e",
      "<script>alert(1)</script>",
      "a".repeat(Math.floor(next() * 40_000)),
      "🙂".repeat(Math.floor(next() * 3000)),
      String(next()),
    ]);
  const value = (depth: number): unknown => {
    const kind = pick([
      "string",
      "number",
      "bool",
      "null",
      "undefined",
      "array",
      "object",
      "payloadish",
    ]);
    switch (kind) {
      case "string":
        return strings();
      case "number":
        return pick([0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, 1e308, NaN, -0]);
      case "bool":
        return next() < 0.5;
      case "null":
        return null;
      case "undefined":
        return undefined;
      case "array":
        return depth > 3
          ? []
          : Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
      case "object":
        return depth > 3
          ? {}
          : Object.fromEntries(
              Array.from({ length: Math.floor(next() * 4) }, () => [
                strings().slice(0, 12),
                value(depth + 1),
              ]),
            );
      default:
        // Nearly right: the fields the contract names, with wrong or extra values.
        return {
          clientId: pick([strings(), 12, null, "ok-looking-id", "../../etc"]),
          body: pick([strings(), 5, null, ["x"]]),
          afterSeq: pick([-5, "1", 1.5, 3]),
          beforeSeq: pick([null, 10]),
          typing: pick([true, "yes", 1]),
          ...(next() < 0.5 ? { roomCode: "ZZZZZZ", extra: value(depth + 1) } : {}),
        };
    }
  };
  return { pick, value };
}

it(
  "survives thousands of malformed payloads and stores none of them",
  { timeout: TIME_LIMIT_MS + 30_000 },
  async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    const next = random(seed);
    const { pick, value } = valueMaker(next);
    const roomCode = await newRoom(t.server);
    const fuzzer = await joinAs(t.server, roomCode, "Fuzzer", t.config);
    let socket: ChatClientSocket = connectSocket(t.server.url, { cookie: fuzzer.cookie });
    await connected(socket);

    const started = Date.now();
    let sent = 0;
    let answered = 0;
    let reconnects = 0;
    // Oversized and malformed packets close the connection, as they should; come back with a new one.
    const ensureConnected = async () => {
      if (socket.connected) return;
      socket.close();
      socket = connectSocket(t.server.url, { cookie: fuzzer.cookie });
      await connected(socket);
      reconnects++;
    };

    const acknowledged = new Map<string, string>();
    while (sent < PAYLOADS && Date.now() - started < TIME_LIMIT_MS) {
      await ensureConnected();
      // A batch at a time, concurrently: unanswerable payloads (no ack, unknown events) cost one wait per batch.
      const batch = Array.from({ length: BATCH }, async () => {
        // Valid messages mixed in: each acknowledged one must be stored once, as sent.
        if (next() < 0.1) {
          const valid = {
            clientId: `valid-${String(sent).padStart(6, "0")}`,
            body: `valid ${sent}`,
          };
          sent++;
          const reply = await socket
            .timeout(2000)
            .emitWithAck("message:send", valid)
            .catch(() => null);
          if (reply?.ok) acknowledged.set(valid.clientId, valid.body);
          return;
        }
        const event = pick(EVENTS);
        const args =
          next() < 0.7
            ? [value(0)]
            : Array.from({ length: Math.floor(next() * 3) }, () => value(0));
        const untyped = socket as unknown as UntypedSocket;
        sent++;
        if (next() < 0.3) return untyped.emit(event, ...args);
        const reply = await untyped
          .timeout(300)
          .emitWithAck(event, ...args)
          .catch(() => null);
        if (reply === null) return;
        answered++;
        expect(reply).toMatchObject({ ok: expect.any(Boolean) });
      });
      await Promise.all(batch);
    }

    // Below the event layer: raw Engine.IO frames that are not valid Socket.IO packets.
    for (const frame of RAW_FRAMES) {
      await ensureConnected();
      socket.io.engine.write(frame);
      sent++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    socket.close();

    // A normal client is still served.
    const normal = connectSocket(t.server.url, { cookie: fuzzer.cookie });
    await connected(normal);
    const ack = await normal
      .timeout(2000)
      .emitWithAck("message:send", { clientId: "after-fuzz-01", body: "still works" });
    expect(ack).toMatchObject({ ok: true });
    normal.close();

    // Only messages that pass the contract were stored.
    const stored = await t.server.store.messagesAfter(roomCode, 0, 100_000);
    for (const message of stored.filter((m) => m.kind === "text")) {
      expect(message.body.trim()).toBe(message.body);
      expect(message.body.length).toBeGreaterThan(0);
      expect(message.body.length).toBeLessThanOrEqual(MESSAGE_MAX_LENGTH);
      expect(message.clientId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    }
    expect(texts(stored)).toContain("still works");
    expect(acknowledged.size).toBeGreaterThan(0);
    for (const [clientId, body] of acknowledged) {
      expect(stored.filter((m) => m.clientId === clientId).map((m) => m.body)).toEqual([body]);
    }
    console.log(
      `fuzz (seed ${seed}): ${sent} payloads over ${EVENTS.length} events in ${Date.now() - started} ms, ` +
        `${answered} answered with an error or result, ${reconnects} connections closed for oversize or malformed packets, ` +
        `${acknowledged.size} valid messages mixed in were acknowledged and stored once, ` +
        `${stored.filter((m) => m.kind === "text").length - 1 - acknowledged.size} fuzz messages passed validation`,
    );
  },
);
