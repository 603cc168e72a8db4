"use client";
// How the conversation scrolls: it follows the newest message while the reader is at the bottom,
// holds still while they read further up (counting what arrives meanwhile), and keeps their place
// when older history is put in above.
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ChatMessage } from "@/lib/chat-events";
import { countUnread } from "@/lib/client/unread";

/** Within this distance of the bottom the reader counts as "at the bottom". */
const STICK_THRESHOLD_PX = 80;
/** Closer than this to the top, the next page of history is fetched. */
const LOAD_OLDER_THRESHOLD_PX = 200;

interface Options {
  messages: readonly ChatMessage[];
  outboxLength: number;
  selfId: string;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
}

function distanceFromBottom(element: HTMLElement): number {
  return element.scrollHeight - element.scrollTop - element.clientHeight;
}

export function useConversationScroll(options: Options) {
  const { messages, outboxLength, selfId, hasOlder, loadingOlder, onLoadOlder } = options;
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const fromBottom = useRef(0);
  const shown = useRef({ oldest: messages[0]?.seq, outboxLength });
  /** The newest message when the reader scrolled up; null while they are at the bottom. */
  const [seenSeq, setSeenSeq] = useState<number | null>(null);

  const oldest = messages[0]?.seq;
  const newest = messages.at(-1)?.seq ?? 0;

  // Before paint, so neither following the newest message nor keeping the place flickers.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const previous = shown.current;
    shown.current = { oldest, outboxLength };
    // Sending takes you to your message, wherever you were reading.
    if (outboxLength > previous.outboxLength) atBottom.current = true;
    if (atBottom.current) {
      element.scrollTop = element.scrollHeight;
    } else if (oldest !== undefined && previous.oldest !== undefined && oldest < previous.oldest) {
      // History went in above: the same distance from the bottom is the same place in the text.
      element.scrollTop = element.scrollHeight - element.clientHeight - fromBottom.current;
    }
    fromBottom.current = distanceFromBottom(element);
  }, [newest, oldest, messages.length, outboxLength]);

  // Sizes also change without new messages: day separators after hydration, the composer growing,
  // a phone keyboard opening. At the bottom, stay there.
  useEffect(() => {
    const element = scroller.current;
    if (!element || !content.current) return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) element.scrollTop = element.scrollHeight;
      fromBottom.current = distanceFromBottom(element);
    });
    observer.observe(element);
    observer.observe(content.current);
    return () => observer.disconnect();
  }, []);

  // A first page shorter than the screen cannot be scrolled up to ask for more.
  useEffect(() => {
    if (oldest === undefined || !hasOlder) return;
    const element = scroller.current;
    if (element && element.scrollHeight <= element.clientHeight) onLoadOlder();
  }, [oldest, hasOlder, onLoadOlder]);

  function onScroll() {
    const element = scroller.current;
    if (!element) return;
    fromBottom.current = distanceFromBottom(element);
    const wasAtBottom = atBottom.current;
    atBottom.current = fromBottom.current < STICK_THRESHOLD_PX;
    if (atBottom.current !== wasAtBottom) setSeenSeq(atBottom.current ? null : newest);
    if (element.scrollTop < LOAD_OLDER_THRESHOLD_PX && hasOlder && !loadingOlder) onLoadOlder();
  }

  function jumpToNewest() {
    const element = scroller.current;
    if (!element) return;
    atBottom.current = true;
    element.scrollTop = element.scrollHeight;
    setSeenSeq(null);
    // The pill disappears; keyboard focus goes on to the conversation rather than the page.
    element.focus({ preventScroll: true });
  }

  return {
    scroller,
    content,
    onScroll,
    jumpToNewest,
    unseen: seenSeq === null ? 0 : countUnread(messages, seenSeq, selfId),
  };
}
