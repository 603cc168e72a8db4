"use client";
// While the tab is in the background the title counts what arrived: "(3) Room K7QX2M · Roomcode chat",
// and flashes "★ Ann mentioned you" when someone wrote your name, until the tab is back in front.
import { useEffect, useRef } from "react";
import type { ChatMessage, Member } from "@/lib/chat-events";
import { usePageHidden } from "@/lib/client/use-page-hidden";
import { countUnread, mentions } from "@/lib/client/unread";

const COUNT_PREFIX = /^\(\d+\) /;
const FLASH_MS = 1000;

/** The newest message after `afterSeq` by someone else that names `self`. */
export function latestMention(
  messages: readonly ChatMessage[],
  afterSeq: number,
  self: Member,
): ChatMessage | undefined {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]!;
    if (message.seq <= afterSeq) return undefined;
    if (
      message.kind === "text" &&
      message.authorId !== self.userId &&
      mentions(message.body, self.name)
    )
      return message;
  }
  return undefined;
}

export function useUnreadTitle(messages: readonly ChatMessage[], self: Member): void {
  const hidden = usePageHidden();
  /** The newest message when the tab went into the background; null while it is in front. */
  const seenSeq = useRef<number | null>(null);
  const baseTitle = useRef<string | null>(null);

  useEffect(() => {
    // The page's own title, whenever it shows without our count or flash (Next sets it late).
    const current = document.title.replace(COUNT_PREFIX, "");
    if (current !== "" && !current.startsWith("★ ")) baseTitle.current = current;
    const base = baseTitle.current;
    if (base === null) return;
    if (!hidden) {
      seenSeq.current = null;
      document.title = base;
      return;
    }
    seenSeq.current ??= messages.at(-1)?.seq ?? 0;
    const unread = countUnread(messages, seenSeq.current, self.userId);
    const counted = unread > 0 ? `(${unread}) ${base}` : base;
    document.title = counted;
    const mention = latestMention(messages, seenSeq.current, self);
    if (!mention) return;
    let lit = false;
    const flashing = setInterval(() => {
      lit = !lit;
      document.title = lit ? `★ ${mention.authorName} mentioned you` : counted;
    }, FLASH_MS);
    return () => clearInterval(flashing);
  }, [hidden, messages, self]);

  // Leaving the room must not leave a stale count or flash on the next page's title.
  useEffect(() => {
    return () => {
      if (baseTitle.current && /^(\(\d+\) |★ )/.test(document.title))
        document.title = baseTitle.current;
    };
  }, []);
}
