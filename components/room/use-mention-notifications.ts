"use client";
// When someone writes your name while you look elsewhere: a notification if you turned them on,
// a sound if you turned that on.
import { useEffect, useRef } from "react";
import type { ChatMessage, Member } from "@/lib/chat-events";
import { mentionAlertsState, showMentionAlert } from "@/lib/client/mention-alerts";
import { plainExcerpt } from "@/lib/client/message-format";
import {
  mentionSoundOn,
  playMentionSound,
  unlockMentionSoundOnNextGesture,
} from "@/lib/client/mention-sound";
import { mentions } from "@/lib/client/unread";

export function useMentionNotifications(
  messages: readonly ChatMessage[],
  self: Member,
  roomCode: string,
): void {
  /** The newest message already considered; null until the first render, whose history is old news. */
  const handledSeq = useRef<number | null>(null);

  useEffect(() => unlockMentionSoundOnNextGesture(), []);

  useEffect(() => {
    const newest = messages.at(-1)?.seq ?? 0;
    const after = handledSeq.current;
    handledSeq.current = Math.max(after ?? 0, newest);
    if (after === null || newest <= after) return;
    if (document.visibilityState === "visible" && document.hasFocus()) return;
    const fresh = messages.filter(
      (message) =>
        message.seq > after &&
        message.kind === "text" &&
        message.authorId !== self.userId &&
        mentions(message.body, self.name),
    );
    if (fresh.length === 0) return;
    if (mentionSoundOn()) playMentionSound();
    if (mentionAlertsState() !== "on") return;
    for (const message of fresh) {
      showMentionAlert(
        `${message.authorName} mentioned you in room ${roomCode}`,
        plainExcerpt(message.body, 200),
        `roomcode-${roomCode}-${message.seq}`,
      );
    }
  }, [messages, self, roomCode]);
}
