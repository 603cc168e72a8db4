// Counts every message from the sender's emit to each receipt: latency per receipt, and the
// receipts that never came (lost) or came twice (duplicated).
import type { ChatMessage } from "@/lib/chat-events";
import { createLatencyRecorder } from "./latency";
import type { LatencySummary } from "./protocol";
import type { BenchSocket } from "./seats";

interface Sent {
  sentAt: number;
  /** Receipts by receivers that must get every message of the window. */
  receipts: number;
  status: "pending" | "stored" | "rejected";
}

export interface WindowResult {
  sent: number;
  rejected: number;
  firstRejection?: string;
  /** Receipts by every receiver, counted or not. */
  deliveries: number;
  lost: number;
  duplicated: number;
  /** Receipts that came after a higher sequence number (not lost, not doubled). */
  reordered: number;
  latency: LatencySummary;
  startedAt: number;
  lastReceiptAt: number;
}

export interface DeliveryMeter {
  /** Wire to each receiver's "message" event. Only `counted` receivers can lose messages. */
  onMessage(receiver: number, message: ChatMessage, counted: boolean): void;
  /** Starts a measuring window in which each stored message is owed `expectedReceipts` counted receipts. */
  start(expectedReceipts: number): void;
  send(socket: BenchSocket, clientId: string, body: string): void;
  /** Every message answered and every owed receipt in. */
  settled(): boolean;
  stop(): WindowResult;
  lastSeq(receiver: number): number;
}

/** Gaps wider than this (a socket joining mid-stream) are not remembered seq by seq. */
const MAX_GAP = 1000;

export function createDeliveryMeter(receivers: number): DeliveryMeter {
  // Per socket: the highest sequence number seen, and the lower ones skipped and still due.
  // A number seen again is a duplicate; a skipped one arriving late is only out of order.
  const lastSeqs = new Float64Array(receivers);
  const skipped = Array.from({ length: receivers }, () => new Set<number>());
  let sent = new Map<string, Sent>();
  let latency = createLatencyRecorder();
  let expected = 0;
  let owed = 0;
  let counted = 0;
  let deliveries = 0;
  let duplicated = 0;
  let reordered = 0;
  let unanswered = 0;
  let startedAt = 0;
  let lastReceiptAt = 0;
  let open = false;
  let firstRejection: string | undefined;

  /** False for a duplicate. */
  function inSequence(receiver: number, seq: number): boolean {
    const last = lastSeqs[receiver] ?? 0;
    const gaps = skipped[receiver] as Set<number>;
    if (seq > last) {
      if (last > 0 && seq - last - 1 <= MAX_GAP)
        for (let missing = last + 1; missing < seq; missing++) gaps.add(missing);
      lastSeqs[receiver] = seq;
      return true;
    }
    if (!gaps.delete(seq)) return false;
    if (open) reordered++;
    return true;
  }

  return {
    onMessage(receiver, message, isCounted) {
      if (!inSequence(receiver, message.seq)) {
        if (open) duplicated++;
        return;
      }
      const entry = message.clientId === null ? undefined : sent.get(message.clientId);
      if (!entry) return;
      const now = performance.now();
      latency.record(now - entry.sentAt);
      deliveries++;
      lastReceiptAt = now;
      if (isCounted) {
        entry.receipts++;
        counted++;
      }
    },

    start(expectedReceipts) {
      sent = new Map();
      latency = createLatencyRecorder();
      expected = expectedReceipts;
      owed = counted = deliveries = duplicated = reordered = unanswered = 0;
      firstRejection = undefined;
      startedAt = lastReceiptAt = performance.now();
      open = true;
    },

    send(socket, clientId, body) {
      const entry: Sent = { sentAt: performance.now(), receipts: 0, status: "pending" };
      sent.set(clientId, entry);
      unanswered++;
      owed += expected;
      socket.emit("message:send", { clientId, body }, (result) => {
        if (entry.status !== "pending") return;
        unanswered--;
        entry.status = result.ok ? "stored" : "rejected";
        if (result.ok) return;
        owed -= expected;
        firstRejection ??= `${result.code}: ${result.error}`;
      });
    },

    settled() {
      return unanswered === 0 && counted >= owed;
    },

    stop() {
      open = false;
      let lost = 0;
      let rejected = 0;
      for (const entry of sent.values()) {
        if (entry.status === "rejected") rejected++;
        else lost += Math.max(0, expected - entry.receipts);
      }
      return {
        sent: sent.size,
        rejected,
        firstRejection,
        deliveries,
        lost,
        duplicated,
        reordered,
        latency: latency.summary(),
        startedAt,
        lastReceiptAt,
      };
    },

    lastSeq(receiver) {
      return lastSeqs[receiver] ?? 0;
    },
  };
}
