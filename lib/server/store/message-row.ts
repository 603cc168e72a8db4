// How a message is laid out in both SQL stores' `messages` table, keyed by (room_code, seq), and
// other rows both read alike.
import {
  QUOTE_EXCERPT_LENGTH,
  type Attachment,
  type ChatMessage,
  type MemberRoom,
  type MessageActionRefusal,
  type MessageKind,
  type Reaction,
} from "@/lib/chat-events";
import { applyRelation, quoteOf } from "@/lib/message-relations";
import type { NewMessage } from "./types";

export interface MessageRow {
  seq: number;
  client_id: string | null;
  kind: MessageKind;
  author_id: string;
  author_name: string;
  body: string;
  created_at: number;
  /** JSON of the message's attachments; null when it has none. */
  attachments: string | null;
  relates_to: number | null;
  reply_to: number | null;
  edited_at: number | null;
  deleted_seq: number | null;
  /** JSON of its reactions; null when it has none. */
  reactions: string | null;
  version: number | null;
  /** Of the message it replies to, joined in by MESSAGE_SELECT. */
  quote_author: string | null;
  quote_body: string | null;
  quote_deleted_seq: number | null;
}

/** The attachments column's value for a new message. */
export function attachmentsColumn(attachments: readonly Attachment[] | undefined): string | null {
  return attachments?.length ? JSON.stringify(attachments) : null;
}
/** The columns a new message fills in; the room code is the query's. */
export const INSERT_COLUMNS =
  "seq, client_id, kind, author_id, author_name, body, created_at, attachments, relates_to, reply_to";

/**
 * What a reader selects: each message (`m`) with a quote of the one it replies to as it is now,
 * so a page shows a later edit or delete of the original. Add `WHERE m.room_code = …`.
 */
export const MESSAGE_SELECT = `SELECT m.seq, m.client_id, m.kind, m.author_id, m.author_name, m.body,
    m.created_at, m.attachments, m.relates_to, m.reply_to, m.edited_at, m.deleted_seq, m.reactions,
    m.version, t.author_name AS quote_author, substr(t.body, 1, ${QUOTE_EXCERPT_LENGTH}) AS quote_body,
    t.deleted_seq AS quote_deleted_seq
  FROM messages m LEFT JOIN messages t ON t.room_code = m.room_code AND t.seq = m.reply_to`;

/** The state columns a relation event rewrites on its target. */
export function targetColumns(message: ChatMessage) {
  return {
    body: message.body,
    editedAt: message.editedAt ?? null,
    deletedSeq: message.deleted ? (message.version ?? 0) : null,
    reactions: message.reactions?.length ? JSON.stringify(message.reactions) : null,
    attachments: attachmentsColumn(message.attachments),
    version: message.version ?? null,
  };
}

function quote(row: MessageRow): Pick<ChatMessage, "quote"> {
  if (row.quote_author === null) return {};
  return row.quote_deleted_seq !== null
    ? { quote: { authorName: row.quote_author, excerpt: "", deleted: true } }
    : { quote: { authorName: row.quote_author, excerpt: row.quote_body ?? "" } };
}

/**
 * The body column holds a notice's detail: for a renamed notice the name before, for an owner's
 * notice the name it was about, and for a joined or left notice for a crowd how many others.
 */
function bodyColumn(message: Pick<NewMessage, "body" | "others">): string {
  return message.others ? String(message.others) : message.body;
}

const isArrivalOrDeparture = (kind: MessageKind) => kind === "joined" || kind === "left";

export function toMessage(row: MessageRow): ChatMessage {
  const others = isArrivalOrDeparture(row.kind) && row.body !== "" ? Number(row.body) : 0;
  return {
    seq: row.seq,
    clientId: row.client_id,
    kind: row.kind,
    authorId: row.author_id,
    authorName: row.author_name,
    body: others ? "" : row.body,
    createdAt: row.created_at,
    ...(row.attachments ? { attachments: JSON.parse(row.attachments) as Attachment[] } : {}),
    ...(row.relates_to !== null ? { relatesTo: row.relates_to } : {}),
    ...(row.reply_to !== null ? { replyTo: row.reply_to, ...quote(row) } : {}),
    ...(row.edited_at !== null ? { editedAt: row.edited_at } : {}),
    ...(row.deleted_seq !== null ? { deleted: true as const } : {}),
    ...(row.reactions ? { reactions: JSON.parse(row.reactions) as Reaction[] } : {}),
    ...(row.version !== null ? { version: row.version } : {}),
    ...(others ? { others } : {}),
  };
}

export interface MemberRoomRow {
  code: string;
  name: string;
  last_message_at: number | null;
  unread: number;
}

export function toMemberRoom(row: MemberRoomRow): MemberRoom {
  return {
    code: row.code,
    name: row.name,
    lastMessageAt: row.last_message_at,
    unread: Number(row.unread),
  };
}

/** What the store hands back for a message it just wrote (with the quote it replies with). */
export function storedMessage(
  message: NewMessage,
  seq: number,
  quote?: ChatMessage["quote"],
): ChatMessage {
  return {
    seq,
    clientId: message.clientId,
    kind: message.kind,
    authorId: message.authorId,
    authorName: message.authorName,
    body: message.body,
    createdAt: message.createdAt,
    ...(message.attachments?.length ? { attachments: message.attachments } : {}),
    ...(message.relatesTo !== undefined ? { relatesTo: message.relatesTo } : {}),
    ...(message.replyTo !== undefined ? { replyTo: message.replyTo } : {}),
    ...(quote ? { quote } : {}),
    ...(message.others ? { others: message.others } : {}),
  };
}

/** The values of INSERT_COLUMNS after the room code, in order. */
export function insertValues(message: NewMessage, seq: number) {
  return [
    seq,
    message.clientId,
    message.kind,
    message.authorId,
    message.authorName,
    bodyColumn(message),
    message.createdAt,
    attachmentsColumn(message.attachments),
    message.relatesTo ?? null,
    message.replyTo ?? null,
  ] as const;
}

/** What an append does besides inserting its row, decided on the rows it refers to as stored. */
export type AppendPlan =
  | { refused: MessageActionRefusal }
  | {
      refused?: undefined;
      quote?: ChatMessage["quote"];
      /** The relation's target afterwards, to write back with `targetColumns`. */
      target?: ChatMessage;
      removedFiles?: string[];
    };

/**
 * Both stores' rules for an append at `seq`: a reply must answer a text message (and carries its
 * quote); a relation event must be allowed on its target (lib/message-relations.ts).
 */
export function planAppend(
  message: NewMessage,
  seq: number,
  replied: MessageRow | undefined,
  related: MessageRow | undefined,
): AppendPlan {
  if (message.replyTo !== undefined) {
    if (replied?.kind !== "text") return { refused: "no-such-message" };
    return { quote: quoteOf(toMessage(replied), QUOTE_EXCERPT_LENGTH) };
  }
  if (message.relatesTo === undefined) return {};
  const before = related && toMessage(related);
  const outcome = applyRelation(before, storedMessage(message, seq));
  if (!outcome.ok) return { refused: outcome.reason };
  const files = message.kind === "delete" ? (before?.attachments ?? []) : [];
  return {
    target: outcome.message,
    ...(files.length ? { removedFiles: files.map((file) => file.id) } : {}),
  };
}
