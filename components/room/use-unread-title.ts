"use client";
// While the tab is in the background the title counts what arrived: "(3) Room K7QX2M · Roomcode chat".
import { useEffect, useRef } from "react";
import type { ChatMessage } from "@/lib/chat-events";
import { usePageHidden } from "@/lib/client/use-page-hidden";
import { countUnread } from "@/lib/client/unread";

const COUNT_PREFIX = /^\(\d+\) /;

export function useUnreadTitle(messages: readonly ChatMessage[], selfId: string): void {
  const hidden = usePageHidden();
  /** The newest message when the tab went into the background; null while it is in front. */
  const seenSeq = useRef<number | null>(null);

  useEffect(() => {
    const baseTitle = document.title.replace(COUNT_PREFIX, "");
    if (!hidden) {
      seenSeq.current = null;
      document.title = baseTitle;
      return;
    }
    seenSeq.current ??= messages.at(-1)?.seq ?? 0;
    const unread = countUnread(messages, seenSeq.current, selfId);
    document.title = unread > 0 ? `(${unread}) ${baseTitle}` : baseTitle;
  }, [hidden, messages, selfId]);

  // Leaving the room must not leave a stale count on the next page's title.
  useEffect(() => {
    return () => {
      document.title = document.title.replace(COUNT_PREFIX, "");
    };
  }, []);
}
