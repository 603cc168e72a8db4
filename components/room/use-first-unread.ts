"use client";
// Where the reader left off. The newest message seen while the room was in front is remembered
// per room in this browser; coming back (another visit, or the tab returning from the background)
// marks the first message from someone else after it, for the "New messages" line.
import { useEffect, useRef, useState } from "react";
import type { ChatMessage } from "@/lib/chat-events";
import { usePageHidden } from "@/lib/client/use-page-hidden";

function readSeen(key: string): number | null {
  try {
    const value = Number(localStorage.getItem(key));
    return Number.isSafeInteger(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

/** The sequence of the first unread message from others, or null when there is none. */
export function useFirstUnread(
  roomCode: string,
  selfId: string,
  messages: readonly ChatMessage[],
): number | null {
  const hidden = usePageHidden();
  const key = `roomcode.seen.${roomCode}.${selfId}`;
  /** The newest message seen before this visit, or before the tab went into the background. */
  const [seenBefore, setSeenBefore] = useState<number | null>(null);
  const seenWhenHidden = useRef<number | null>(null);
  const newest = messages.at(-1)?.seq ?? 0;

  // Read once on arrival, before this visit's messages count as seen; storage exists only after
  // hydration, so this cannot be the state's initial value.
  // eslint-disable-next-line react-hooks/set-state-in-effect
  useEffect(() => setSeenBefore(readSeen(key)), [key]);

  useEffect(() => {
    if (hidden) {
      seenWhenHidden.current ??= newest;
      return;
    }
    if (seenWhenHidden.current !== null && newest > seenWhenHidden.current)
      // Back from the background with news: the line moves to where the reader left off.
      setSeenBefore(seenWhenHidden.current);
    seenWhenHidden.current = null;
    try {
      localStorage.setItem(key, String(newest));
    } catch {
      // Without storage there is no line on the next visit.
    }
  }, [hidden, newest, key]);

  if (seenBefore === null) return null;
  const first = messages.find(
    (message) => message.seq > seenBefore && message.kind === "text" && message.authorId !== selfId,
  );
  return first?.seq ?? null;
}
