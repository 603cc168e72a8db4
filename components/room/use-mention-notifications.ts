"use client";
// A desktop notification for each new message that mentions you, when you turned them on and are
// looking elsewhere.
import { useEffect, useRef } from "react";
import type { ChatMessage, Member } from "@/lib/chat-events";
import { mentionAlertsState, showMentionAlert } from "@/lib/client/mention-alerts";
import { mentions } from "@/lib/client/unread";

export function useMentionNotifications(
  messages: readonly ChatMessage[],
  self: Member,
  roomCode: string,
): void {
  /** The newest message already considered; null until the first render, whose history is old news. */
  const handledSeq = useRef<number | null>(null);

  useEffect(() => {
    const newest = messages.at(-1)?.seq ?? 0;
    const after = handledSeq.current;
    handledSeq.current = Math.max(after ?? 0, newest);
    if (after === null || newest <= after || mentionAlertsState() !== "on") return;
    if (document.visibilityState === "visible" && document.hasFocus()) return;
    for (const message of messages) {
      if (
        message.seq > after &&
        message.kind === "text" &&
        message.authorId !== self.userId &&
        mentions(message.body, self.name)
      ) {
        showMentionAlert(
          `${message.authorName} mentioned you in room ${roomCode}`,
          message.body.slice(0, 200),
          `roomcode-${roomCode}-${message.seq}`,
        );
      }
    }
  }, [messages, self, roomCode]);
}
