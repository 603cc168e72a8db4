import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChatMessage, SendMessagePayload } from "@/lib/chat-events";
import { createOutbox, type OutboxItem, type SendAnswer } from "@/lib/client/outbox";

/** A server stand-in: each send waits for the test to answer it. */
function fakeServer() {
  const sent: Array<{ payload: SendMessagePayload; answer: (answer: SendAnswer) => void }> = [];
  let seq = 0;
  const stored: string[] = [];
  return {
    sent,
    stored,
    transmit: (payload: SendMessagePayload) =>
      new Promise<SendAnswer>((answer) => sent.push({ payload, answer })),
    /** Stores the oldest unanswered send and acknowledges it. */
    accept() {
      const next = sent.shift()!;
      stored.push(next.payload.body);
      next.answer({ ok: true, message: storedMessage(next.payload, ++seq) });
    },
    refuse(answer: Exclude<SendAnswer, null | { ok: true }>) {
      sent.shift()!.answer(answer);
    },
    noAnswer() {
      sent.shift()!.answer(null);
    },
  };
}

function storedMessage(payload: SendMessagePayload, seq: number): ChatMessage {
  return {
    seq,
    clientId: payload.clientId,
    kind: "text",
    authorId: "u1",
    authorName: "Ann",
    body: payload.body,
    createdAt: seq,
  };
}

function setup(initial: OutboxItem[] = []) {
  const server = fakeServer();
  const saved = new Map<string, string>([["outbox", JSON.stringify(initial)]]);
  let connected = true;
  const outbox = createOutbox({
    transmit: server.transmit,
    canSend: () => connected,
    onChange: () => {},
    onStored: (message) => outbox.delivered(new Set([message.clientId!])),
    storage: {
      getItem: (key) => saved.get(key) ?? null,
      setItem: (key, value) => saved.set(key, value),
    },
    storageKey: "outbox",
  });
  const add = (body: string) => outbox.add({ clientId: `client-${body}`, body });
  return {
    server,
    outbox,
    add,
    saved,
    setConnected(value: boolean) {
      connected = value;
    },
  };
}

/** Lets promise callbacks run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe("the outbox", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends one message at a time, in the order typed", async () => {
    const { server, add } = setup();
    add("one");
    add("two");
    add("three");
    expect(server.sent.map((send) => send.payload.body)).toEqual(["one"]);
    server.accept();
    await settle();
    expect(server.sent.map((send) => send.payload.body)).toEqual(["two"]);
    server.accept();
    await settle();
    server.accept();
    await settle();
    expect(server.stored).toEqual(["one", "two", "three"]);
  });

  it("holds a message refused as too fast for the wait the server names, with the rest behind it", async () => {
    const { server, outbox, add } = setup();
    add("one");
    add("two");
    server.refuse({ ok: false, code: "rate-limited", error: "Too fast.", retryAfterMs: 2000 });
    await settle();
    expect(outbox.items.map((item) => [item.body, item.failure])).toEqual([
      ["one", undefined],
      ["two", undefined],
    ]);
    expect(server.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1999);
    expect(server.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.sent.map((send) => send.payload.body)).toEqual(["one"]);
    server.accept();
    await settle();
    server.accept();
    await settle();
    expect(server.stored).toEqual(["one", "two"]);
    expect(outbox.items).toEqual([]);
  });

  it("retries an unanswered message with backoff, before anything behind it", async () => {
    const { server, add } = setup();
    add("one");
    add("two");
    server.noAnswer();
    await settle();
    expect(server.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.sent.map((send) => send.payload.body)).toEqual(["one"]);
    server.refuse({ ok: false, code: "unavailable", error: "Try again." });
    await settle();
    await vi.advanceTimersByTimeAsync(2000);
    expect(server.sent.map((send) => send.payload.body)).toEqual(["one"]);
  });

  it("asks the person only about a refusal a retry cannot fix, and sends the rest meanwhile", async () => {
    const { server, outbox, add } = setup();
    add("bad");
    add("good");
    server.refuse({ ok: false, code: "invalid", error: "Not allowed." });
    await settle();
    expect(outbox.items[0]).toMatchObject({ body: "bad", failure: { code: "invalid" } });
    server.accept();
    await settle();
    expect(server.stored).toEqual(["good"]);

    outbox.retry("client-bad");
    expect(outbox.items[0]).toMatchObject({ body: "bad", failure: undefined });
    server.accept();
    await settle();
    expect(server.stored).toEqual(["good", "bad"]);
  });

  it("waits for a connection, and an answer from an earlier connection settles nothing", async () => {
    const { server, outbox, add, setConnected } = setup();
    setConnected(false);
    add("one");
    expect(server.sent).toHaveLength(0);
    setConnected(true);
    outbox.flush();
    const first = server.sent.shift()!;
    outbox.reset();
    outbox.flush();
    expect(server.sent).toHaveLength(1);
    first.answer({ ok: false, code: "rate-limited", error: "Too fast.", retryAfterMs: 5000 });
    await settle();
    expect(outbox.items[0]?.heldUntil).toBeUndefined();
    server.accept();
    await settle();
    expect(server.stored).toEqual(["one"]);
  });

  it("survives a refresh through its storage, and a discarded message is gone", async () => {
    const { server, outbox, saved } = setup([{ clientId: "client-kept", body: "kept" }]);
    outbox.flush();
    expect(server.sent.map((send) => send.payload.body)).toEqual(["kept"]);
    outbox.add({ clientId: "client-later", body: "later" });
    expect(JSON.parse(saved.get("outbox")!)).toHaveLength(2);
    outbox.discard("client-later");
    expect(JSON.parse(saved.get("outbox")!)).toEqual([{ clientId: "client-kept", body: "kept" }]);
  });
});
