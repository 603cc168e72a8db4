"use client";
// How the conversation scrolls: it follows the newest message while the reader is at the bottom,
// holds still while they read further up (counting what arrives meanwhile), and keeps their place
// when older history is put in above. It also decides which messages are on the page: at the
// bottom only the newest few hundred, so a long session does not grow the page without bound;
// scrolling up puts the earlier ones back (from memory first, then from the server).
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ChatMessage } from "@/lib/chat-events";
import { countUnread } from "@/lib/client/unread";

/** Within this distance of the bottom the reader counts as "at the bottom". */
const STICK_THRESHOLD_PX = 80;
/** Closer than this to the top, the next page of history is fetched. */
const LOAD_OLDER_THRESHOLD_PX = 200;
/** At the bottom, more messages than this on the page are cut down to the newest KEPT. */
const MAX_RENDERED = 250;
const KEPT_RENDERED = 150;
/** Messages put back at a time when the reader scrolls up to the first one shown. */
const RESTORED_PER_STEP = 100;

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
  /** The first message on the page while the reader is up in the history; null: from the start. */
  const [windowStart, setWindowStart] = useState<number | null>(null);

  const onPage = renderedMessages(messages, seenSeq === null ? null : windowStart);
  const oldest = onPage[0]?.seq;
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
    if (atBottom.current !== wasAtBottom) {
      setSeenSeq(atBottom.current ? null : newest);
      // Leaving the bottom freezes what is on the page, so nothing moves under the reader.
      setWindowStart(atBottom.current ? null : (oldest ?? null));
    }
    if (element.scrollTop >= LOAD_OLDER_THRESHOLD_PX) return;
    const first =
      oldest === undefined ? -1 : messages.findIndex((message) => message.seq === oldest);
    if (first > 0) {
      setWindowStart(messages[Math.max(0, first - RESTORED_PER_STEP)]!.seq);
    } else if (hasOlder && !loadingOlder) {
      // What arrives goes on the page too.
      setWindowStart(null);
      onLoadOlder();
    }
  }

  /** Puts every message from `seq` on (e.g. to show the first unread one). */
  function showFrom(seq: number) {
    if (oldest !== undefined && seq < oldest) setWindowStart(seq);
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
    onPage,
    showFrom,
    scroller,
    content,
    onScroll,
    jumpToNewest,
    unseen: seenSeq === null ? 0 : countUnread(messages, seenSeq, selfId),
  };
}

/** The messages on the page: from `start`, or at the bottom (null) the newest ones. */
function renderedMessages(
  messages: readonly ChatMessage[],
  start: number | null,
): readonly ChatMessage[] {
  if (start === null)
    return messages.length > MAX_RENDERED ? messages.slice(-KEPT_RENDERED) : messages;
  const first = messages.findIndex((message) => message.seq >= start);
  return first <= 0 ? messages : messages.slice(first);
}
