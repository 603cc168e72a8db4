// How messages read: local times, day separators, authors grouped, links made clickable.
import type { ChatMessage } from "@/lib/chat-events";

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false });
}

export function formatFullDate(ms: number): string {
  return new Date(ms).toLocaleString([], { dateStyle: "full", timeStyle: "medium" });
}

export function formatDay(ms: number, now = Date.now()): string {
  const day = new Date(ms).toDateString();
  if (day === new Date(now).toDateString()) return "Today";
  if (day === new Date(now - 86_400_000).toDateString()) return "Yesterday";
  return new Date(ms).toLocaleDateString([], {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
  });
}

export function isSameDay(a: number, b: number): boolean {
  return new Date(a).toDateString() === new Date(b).toDateString();
}

export type TextPart =
  { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

const URL_PATTERN = /\b(?:https?:\/\/|www\.|mailto:)[^\s<>"']+/gi;
/** Punctuation that usually ends a sentence rather than a URL. */
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;
const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** What a link in a message points to: http(s) and mailto only; "www." means the web. */
function linkTarget(raw: string): string | null {
  try {
    const url = new URL(/^www\./i.test(raw) ? `https://${raw}` : raw);
    return LINK_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** Splits a message into text and links; the text is never altered, only segmented. */
export function linkify(body: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of body.matchAll(URL_PATTERN)) {
    const raw = match[0].replace(TRAILING_PUNCTUATION, "");
    const start = match.index;
    const href = linkTarget(raw);
    if (!href) continue;
    if (start > last) parts.push({ kind: "text", text: body.slice(last, start) });
    parts.push({ kind: "link", text: raw, href });
    last = start + raw.length;
  }
  if (last < body.length) parts.push({ kind: "text", text: body.slice(last) });
  return parts;
}

/** A stored notice as one line: "Ann joined", "Ann left", "Bob is now Robert". */
export function noticeText(message: Pick<ChatMessage, "kind" | "authorName" | "body">): string {
  const who = message.authorName;
  switch (message.kind) {
    case "renamed":
      return `${message.body} is now ${who}`;
    case "joined":
    case "left":
      return `${who} ${message.kind}`;
    case "room-named":
      return message.body
        ? `${who} named the room “${message.body}”`
        : `${who} cleared the room's name`;
    case "room-locked":
      return `${who} locked the room`;
    case "room-unlocked":
      return `${who} unlocked the room`;
    case "member-removed":
      return `${who} removed ${message.body}`;
    case "owner-handed-over":
      return `${who} made ${message.body} the owner`;
    case "owner-passed":
      return `${who} is now the owner`;
    case "text":
      return message.body;
  }
}
