// Every socket event has a budget: typing is coalesced, history answers are cut by bytes and
// taken one at a time, a socket that never reads is dropped, and an address has a message budget.
import { describe, expect, it } from "vitest";
import type { ChatClientSocket } from "@/lib/client/room-connection";
import {
  connectSocket,
  connected,
  eventually,
  roomWithSockets,
  withTestServer,
} from "../support/server";

const t = withTestServer(
  {
    MESSAGE_RATE_PER_SECOND: "1000",
    MESSAGE_BURST: "1000",
    MESSAGE_RATE_PER_ADDRESS: "1",
    MESSAGE_BURST_PER_ADDRESS: "30",
    HISTORY_PAGE_KB: "64",
    SLOW_CONSUMER_KB: "256",
  },
  "all",
);

const TOGGLES = 20_000;

async function seed(roomCode: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await t.server.store.appendMessage({
      roomCode,
      clientId: null,
      kind: "text",
      authorId: "seed",
      authorName: "Seed",
      body: `${i} ${"é".repeat(1990)}`,
      createdAt: Date.now(),
    });
  }
}

describe("socket budgets", () => {
  it("coalesces a typing flood: a bystander hears a few changes, another room stays quick", async () => {
    const { sockets } = await roomWithSockets(t, "Flooder", "Bystander");
    const [flooder, bystander] = sockets as [ChatClientSocket, ChatClientSocket];
    const quiet = await roomWithSockets(t, "Talker");
    const talker = quiet.sockets[0]!;
    let heard = 0;
    let lastHeard: boolean | undefined;
    bystander.on("typing", ({ typing }) => {
      heard++;
      lastHeard = typing;
    });

    const started = performance.now();
    for (let i = 0; i < TOGGLES; i++) {
      flooder.emit("typing", { typing: i % 2 === 0 });
      if (i % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const sent = performance.now();
    const ack = await talker
      .timeout(10_000)
      .emitWithAck("message:send", { clientId: "quiet-0001", body: "still quick?" });
    const ackMs = performance.now() - sent;
    // The flood ends on "not typing" (an even count of toggles). Once the flooder's next event is
    // answered the server has taken every toggle; the settling change then says "not typing".
    await flooder.timeout(10_000).emitWithAck("history:after", { afterSeq: 0 });
    await eventually(() => lastHeard === false, "the flood's last state relayed");
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `typing flood: ${TOGGLES} toggles over ${seconds.toFixed(1)} s, bystander heard ${heard}, other room's ack ${ackMs.toFixed(0)} ms`,
    );
    expect(ack).toMatchObject({ ok: true });
    // At most the configured relays per second (4), plus the settling change.
    expect(heard).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 2);
    expect(heard).toBeGreaterThan(0);
    expect(ackMs).toBeLessThan(3000);
    flooder.close();
    bystander.close();
    talker.close();
  });

  it("cuts history answers by bytes, one request at a time, and the pages add up", async () => {
    const { roomCode, sockets } = await roomWithSockets(t, "Reader");
    const reader = sockets[0]!;
    await seed(roomCode, 60);
    const first = reader.timeout(5000).emitWithAck("history:after", { afterSeq: 0 });
    const second = await reader.timeout(5000).emitWithAck("history:after", { afterSeq: 0 });
    expect(second).toMatchObject({ ok: false, code: "busy" });
    const page = await first;
    if (!page.ok) throw new Error(page.error);
    expect(Buffer.byteLength(JSON.stringify(page.messages))).toBeLessThanOrEqual(64 * 1024);
    expect(page.hasMore).toBe(true);

    const seen = [...page.messages];
    for (let more = page.hasMore; more;) {
      const next = await reader
        .timeout(5000)
        .emitWithAck("history:after", { afterSeq: seen.at(-1)!.seq });
      if (!next.ok) throw new Error(next.error);
      expect(Buffer.byteLength(JSON.stringify(next.messages))).toBeLessThanOrEqual(64 * 1024);
      seen.push(...next.messages);
      more = next.hasMore;
    }
    expect(seen.filter((m) => m.kind === "text")).toHaveLength(60);
    const older = await reader
      .timeout(5000)
      .emitWithAck("history:before", { beforeSeq: seen.at(-1)!.seq + 1 });
    if (!older.ok) throw new Error(older.error);
    expect(Buffer.byteLength(JSON.stringify(older.messages))).toBeLessThanOrEqual(64 * 1024);
    expect(older).toMatchObject({ hasMore: true });
    expect(older.messages.at(-1)?.seq).toBe(seen.at(-1)!.seq);
    reader.close();
  });

  it("disconnects a socket that asks for history and never reads the answers", async () => {
    const { roomCode, people } = await roomWithSockets(t, "Hoarder");
    await seed(roomCode, 40);
    const hoarder = connectSocket(t.server.url, { cookie: people[0]!.cookie });
    await connected(hoarder);
    const serverSockets = () =>
      [...t.server.chat.io.of("/").sockets.values()].filter(
        (socket) => socket.data.userId === people[0]!.userId,
      ).length;
    await eventually(() => serverSockets() === 2, "both sockets on the server");
    // Stop reading: what the server sends now piles up on its side.
    const ws = (
      hoarder.io.engine.transport as unknown as {
        ws: { _socket: { pause(): void; resume(): void } };
      }
    ).ws;
    ws._socket.pause();
    // Spaced so that each is answered (not refused as busy): about 25 MB of answers in all,
    // more than the kernel's socket buffers hold.
    for (let i = 0; i < 400 && serverSockets() === 2; i++) {
      hoarder.emit("history:after", { afterSeq: 0 }, () => {});
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await eventually(() => serverSockets() === 1, "the hoarding socket dropped", 15_000);
    ws._socket.resume();
    hoarder.close();
  });

  it("limits messages per address across people, generously", async () => {
    const { sockets } = await roomWithSockets(t, "Ann", "Ben");
    const sends = sockets.flatMap((socket, who) =>
      Array.from({ length: 25 }, (_, i) =>
        socket.timeout(5000).emitWithAck("message:send", {
          clientId: `addr-${who}-${String(i).padStart(3, "0")}`,
          body: `hello ${i}`,
        }),
      ),
    );
    const results = await Promise.all(sends);
    const refused = results.filter((result) => !result.ok);
    // Both come from 127.0.0.1: together they share one address's burst.
    expect(results.filter((result) => result.ok).length).toBeLessThanOrEqual(31);
    expect(refused.length).toBeGreaterThanOrEqual(19);
    expect(refused[0]).toMatchObject({ code: "rate-limited", retryAfterMs: expect.any(Number) });
    sockets.forEach((socket) => socket.close());
  });
});
