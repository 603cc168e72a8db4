// The client's view of a room's history: messages by sequence, merged from any source
// (first render, live events, acknowledgements, catch-up, scroll-back) without gaps or doubles.
import type { ChatMessage } from "@/lib/chat-events";

/** Merges `incoming` into `list` (sorted by seq); returns `list` itself when nothing is new. */
export function mergeMessages(
  list: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): readonly ChatMessage[] {
  const last = list.at(-1)?.seq ?? 0;
  // The common case, one new message after the newest, needs no sort.
  if (incoming.length === 1 && incoming[0]!.seq > last) return [...list, incoming[0]!];
  const known = new Set(list.map((message) => message.seq));
  const fresh = incoming.filter((message) => !known.has(message.seq));
  if (fresh.length === 0) return list;
  return [...list, ...fresh].sort((a, b) => a.seq - b.seq);
}

/**
 * The highest sequence up to which the list has every message, starting from its oldest:
 * what to ask the server for messages after.
 */
export function contiguousSeq(list: readonly ChatMessage[]): number {
  let seq = list[0]?.seq ?? 0;
  for (const message of list) {
    if (message.seq > seq + 1) break;
    seq = message.seq;
  }
  return seq;
}
