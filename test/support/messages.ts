// A stored text message with only its sequence number chosen, for tests of the client's history logic.
import type { ChatMessage } from "@/lib/chat-events";

export const messageAt = (seq: number): ChatMessage => ({
  seq,
  clientId: null,
  kind: "text",
  authorId: "u",
  authorName: "A",
  body: String(seq),
  createdAt: seq,
});
