// How a message is laid out in both SQL stores' `messages` table, keyed by (room_code, seq), and
// other rows both read alike.
import type { Attachment, ChatMessage, MemberRoom, MessageKind } from "@/lib/chat-events";
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
}

/** The attachments column's value for a new message. */
export function attachmentsColumn(attachments: readonly Attachment[] | undefined): string | null {
  return attachments?.length ? JSON.stringify(attachments) : null;
}
/** The columns a reader needs; the room code is the query's. */
export const MESSAGE_COLUMNS =
  "seq, client_id, kind, author_id, author_name, body, created_at, attachments";

export function toMessage(row: MessageRow): ChatMessage {
  return {
    seq: row.seq,
    clientId: row.client_id,
    kind: row.kind,
    authorId: row.author_id,
    authorName: row.author_name,
    body: row.body,
    createdAt: row.created_at,
    ...(row.attachments ? { attachments: JSON.parse(row.attachments) as Attachment[] } : {}),
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

/** What the store hands back for a message it just wrote. */
export function storedMessage(message: NewMessage, seq: number): ChatMessage {
  return {
    seq,
    clientId: message.clientId,
    kind: message.kind,
    authorId: message.authorId,
    authorName: message.authorName,
    body: message.body,
    createdAt: message.createdAt,
    ...(message.attachments?.length ? { attachments: message.attachments } : {}),
  };
}
