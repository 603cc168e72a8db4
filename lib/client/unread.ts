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

/** Whether `body` mentions `name` as a whole word ("@Bob", "bob,"), ignoring case. */
export function mentions(body: string, name: string): boolean {
  const trimmed = name.trim();
  if (trimmed === "") return false;
  const escaped = trimmed.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}_])@?${escaped}(?![\\p{L}\\p{N}_])`, "iu").test(body);
}
