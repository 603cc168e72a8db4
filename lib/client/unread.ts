// What counts as news for the reader: other people's messages, not their own or join/leave notices.
import type { ChatMessage } from "@/lib/chat-events";

/** Text messages by others with a sequence after `afterSeq` (the newest one the reader has seen). */
export function countUnread(
  messages: readonly ChatMessage[],
  afterSeq: number,
  selfId: string,
): number {
  let count = 0;
  // Newest last: walk back only as far as the reader has already seen.
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]!;
    if (message.seq <= afterSeq) break;
    if (message.kind === "text" && message.authorId !== selfId) count++;
  }
  return count;
}

/**
 * Where `name` is mentioned in a text: as a whole word ("@Bob", "bob,"), ignoring case. Null for
 * an empty name. The one mention rule: highlighting, alerts and the unread title all use it.
 */
export function mentionPattern(name: string): RegExp | null {
  const trimmed = name.trim();
  if (trimmed === "") return null;
  const escaped = trimmed.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}_])@?${escaped}(?![\\p{L}\\p{N}_])`, "giu");
}

/** Whether `body` mentions `name`. */
export function mentions(body: string, name: string): boolean {
  return mentionPattern(name)?.test(body) ?? false;
}
