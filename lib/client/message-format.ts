// How messages read: local times, day separators, notices in words, mentions found, excerpts.
import type { ChatMessage } from "@/lib/chat-events";
import { mentionPattern } from "./unread";

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

/**
 * Whether a body may read differently as Markdown: emphasis, code, quotes, lists, links, escapes
 * or entities. Most chat lines have none of these and skip the Markdown renderer altogether.
 */
const MARKDOWN_HINT =
  /[*_~`[<&\\]|https?:|www\.|mailto:|\w@\w|^ {0,3}(?:>|(?:[-+]|\d{1,9}[.)])(?:\s|$))/im;

/** Deeper than any message needs: ">>>>…" or "- - - …" a body long nests ~2000 levels. */
export const MAX_NESTING = 16;
/** A line opening more quotes and lists than that: as Markdown its parse alone takes most of a
 * second, on every reader's device and in the server's page, so it is shown as typed. */
const NESTED_TOO_DEEP = new RegExp(
  `^(?:[ \\t]*(?:>|(?:[-*+]|\\d{1,9}[.)])(?=[ \\t]|$))){${MAX_NESTING + 1}}`,
  "m",
);

export function needsMarkdown(body: string): boolean {
  return MARKDOWN_HINT.test(body) && !NESTED_TOO_DEEP.test(body);
}

export type TextPart = { text: string; mention: boolean };

/** Splits text around mentions of `name` (none when there is no name), the text untouched. */
export function splitMentions(text: string, name: string | undefined): TextPart[] {
  const pattern = name ? mentionPattern(name) : null;
  if (!pattern) return [{ text, mention: false }];
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), mention: false });
    parts.push({ text: match[0], mention: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), mention: false });
  return parts;
}

/**
 * A body as one plain line for places that show a glimpse of it (notifications, quotes): the
 * common Markdown marks are dropped, not interpreted, so this stays small enough for the first load.
 */
export function plainExcerpt(body: string, maxLength = 140): string {
  const plain = body
    .replace(/^ {0,3}(?:```|~~~).*$/gm, "")
    .replace(/^ {0,3}(?:>\s?)+/gm, "")
    .replace(/^ {0,3}(?:[-+*]|\d{1,9}[.)])\s+/gm, "")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(^|\W)(\*\*|__|~~|\*|_|`+)(?=\S)(.*?\S)\2(?!\w)/g, "$1$3")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > maxLength ? `${plain.slice(0, maxLength - 1).trimEnd()}…` : plain;
}

/**
 * "Ann", "Ann and Ben", "Ann, Ben and Cy", "Ann, Ben and 3 others"; `unnamed` more people
 * counted but not named (a notice for a crowd): "Ann and 41 others".
 */
export function nameList(names: readonly string[], unnamed = 0): string {
  const total = names.length + unnamed;
  if (unnamed === 0 && total <= 3) {
    if (total <= 1) return names[0] ?? "";
    if (total === 2) return `${names[0]} and ${names[1]}`;
    return `${names[0]}, ${names[1]} and ${names[2]}`;
  }
  const shown = names.slice(0, 2);
  const rest = total - shown.length;
  return `${shown.join(", ")} and ${rest} ${rest === 1 ? "other" : "others"}`;
}

/** A stored notice as one line: "Ann joined", "Ann and 41 others left", "Bob is now Robert". */
export function noticeText(
  message: Pick<ChatMessage, "kind" | "authorName" | "body" | "others">,
): string {
  const who = message.authorName;
  switch (message.kind) {
    case "renamed":
      return `${message.body} is now ${who}`;
    case "joined":
    case "left":
      return `${nameList([who], message.others)} ${message.kind}`;
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
    case "passphrase-set":
      return `${who} set a passphrase`;
    case "passphrase-removed":
      return `${who} removed the passphrase`;
    // Relation events change another message and are never shown as lines.
    case "edit":
    case "delete":
    case "reaction":
    case "reaction-removed":
      return "";
    case "text":
      return message.body;
  }
}
