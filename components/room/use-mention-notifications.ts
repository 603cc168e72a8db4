"use client";
// When someone writes your name while you look elsewhere: a notification if you turned them on,
// a sound if you turned that on. Both load after first paint: neither is needed to show the room.
import { useEffect, useRef } from "react";
import type { ChatMessage, Member } from "@/lib/chat-events";
import { plainExcerpt } from "@/lib/client/message-format";
import { mentions } from "@/lib/client/unread";

// Offline for a moment: this mention goes without a chime or notification, the next one tries again.
const loadSound = () => import("@/lib/client/mention-sound").catch(() => null);
const loadAlerts = () => import("@/lib/client/mention-alerts").catch(() => null);

export function useMentionNotifications(
  messages: readonly ChatMessage[],
  self: Member,
  roomCode: string,
): void {
  /** The newest message already considered; null until the first render, whose history is old news. */
  const handledSeq = useRef<number | null>(null);

  useEffect(() => {
    let stop: (() => void) | undefined;
    let unmounted = false;
    void loadSound().then((sound) => {
      if (sound && !unmounted) stop = sound.unlockMentionSoundOnNextGesture();
    });
    return () => {
      unmounted = true;
      stop?.();
    };
  }, []);

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
    void loadSound().then((sound) => sound?.mentionSoundOn() && sound.playMentionSound());
    void loadAlerts().then((alerts) => {
      if (alerts?.mentionAlertsState() !== "on") return;
      for (const message of fresh) {
        alerts.showMentionAlert(
          `${message.authorName} mentioned you in room ${roomCode}`,
          plainExcerpt(message.body, 200),
          `roomcode-${roomCode}-${message.seq}`,
        );
      }
    });
  }, [messages, self, roomCode]);
}
