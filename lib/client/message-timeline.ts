// The client's view of a room's history: messages by sequence, merged from any source
// (first render, live events, acknowledgements, catch-up, scroll-back) without gaps or doubles.
import type { ChatMessage } from "@/lib/chat-events";
import { applyRelation } from "@/lib/message-relations";

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

/** Where the message with this sequence is in `list` (sorted by seq), or -1. */
export function indexOfSeq(list: readonly ChatMessage[], seq: number): number {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const found = list[middle]!.seq;
    if (found === seq) return middle;
    if (found < seq) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/**
 * Applies relation events to their loaded targets, each only when newer than the target's
 * version: a snapshot that already holds an event's effect is left alone, so events and pages
 * may overlap in any order.
 */
function applyRelations(
  list: readonly ChatMessage[],
  events: readonly ChatMessage[],
): readonly ChatMessage[] {
  let result = list;
  for (const event of events) {
    if (event.relatesTo === undefined) continue;
    const index = indexOfSeq(result, event.relatesTo);
    const target = result[index];
    if (!target || (target.version ?? 0) >= event.seq) continue;
    const outcome = applyRelation(target, event);
    if (!outcome.ok) continue;
    if (result === list) result = [...list];
    (result as ChatMessage[])[index] = outcome.message;
  }
  return result;
}

/**
 * `mergeMessages`, then the relation events among the new messages applied to their targets, in
 * sequence order and only once every message before them is here: an event is a change to its
 * target, so one that overtook an earlier one (a live event while catch-up after a node's death
 * still fills the gap) waits for it instead of making the earlier one look already applied.
 * A page may also bring targets of events held already (a page read before the event).
 */
export function receiveMessages(
  list: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): readonly ChatMessage[] {
  const merged = mergeMessages(list, incoming);
  if (merged === list) return list;
  const before = contiguousSeq(list);
  const upTo = contiguousSeq(merged);
  const arrived = new Set(incoming.map((message) => message.seq));
  const events = merged.filter(
    (message) =>
      message.relatesTo !== undefined &&
      message.seq <= upTo &&
      (message.seq > before || arrived.has(message.seq) || arrived.has(message.relatesTo)),
  );
  return applyRelations(merged, events);
}
