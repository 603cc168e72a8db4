// The one contract between the room page and the socket server: event names, payload types,
// error codes, refusal codes, end reasons and shared timings, imported by both `Server<...>` and
// `io<...>()`, so a rename on one side breaks the build of the other. The browser imports it, so
// it stays free of zod; the server checks payloads with schemas typed against these types
// (lib/server/chat/payloads.ts).

/**
 * Stored notices are lines in the history, written only for what a reader should remember:
 * "joined" (became a member, or came back after being away longer than the away window),
 * "left" (left with Leave room, or away longer than the away window), "renamed" (a member
 * chose a new name). Coming and going within the away window stores nothing: the online list
 * follows the ephemeral `presence:changes` events instead.
 */
export type MessageKind = "text" | "joined" | "left" | "renamed" | OwnerNoticeKind | RelationKind;

/**
 * Changes to an earlier text message (`relatesTo`), stored in the room's sequence like messages
 * so a reconnecting client catches up on them by sequence. Never shown as lines of their own.
 * "edit": body is the new text. "delete": body empty. "reaction"/"reaction-removed": body is the
 * emoji the author added or took back.
 */
export type RelationKind = "edit" | "delete" | "reaction" | "reaction-removed";

export const RELATION_KINDS: ReadonlySet<MessageKind> = new Set<RelationKind>([
  "edit",
  "delete",
  "reaction",
  "reaction-removed",
]);

export function isRelation(message: Pick<ChatMessage, "kind">): boolean {
  return RELATION_KINDS.has(message.kind);
}

/**
 * Notices of an owner's doing, stored in the room's sequence like messages: the author is who
 * acted (for `owner-passed`, the new owner), the body the name it was about (the room's new name,
 * the removed member's, the new owner's).
 */
export type OwnerNoticeKind =
  | "room-named"
  | "room-locked"
  | "room-unlocked"
  | "member-removed"
  | "owner-handed-over"
  | "owner-passed"
  /** Never with the passphrase itself: the body is empty. */
  | "passphrase-set"
  | "passphrase-removed";

/**
 * One entry of a room's history, as every member receives it. It carries no room code (the
 * connection is the room's) and no id of its own: within its room, `seq` is its identity.
 */
export interface ChatMessage {
  /** Per-room sequence: 1, 2, 3… without gaps; the order everyone sees, and the message's key. */
  seq: number;
  /** The sender's idempotency key; null for notices the server writes itself. */
  clientId: string | null;
  kind: MessageKind;
  authorId: string;
  authorName: string;
  /** The text; for a "renamed" notice the name before (authorName is the new one); else empty. */
  body: string;
  /** When the server stored it, in ms since the epoch. */
  createdAt: number;
  /** Files sent with it, stored before the message; absent when there are none. */
  attachments?: Attachment[];
  /** Relation events only: the sequence of the text message they change. */
  relatesTo?: number;
  /** A reply: the sequence of the message it answers, and a quote of it as stored. */
  replyTo?: number;
  quote?: ReplyQuote;
  /** When its author last edited it; absent when never edited. */
  editedAt?: number;
  /** Its author deleted it: body and files are gone. */
  deleted?: true;
  /** Distinct emoji in the order first used, each with who reacted; absent when none. */
  reactions?: Reaction[];
  /**
   * The sequence of the last relation event applied to this message; absent when none. A client
   * applies an event to its copy only when the event's seq is higher, so snapshots and events
   * overlap without applying anything twice.
   */
  version?: number;
  /**
   * A joined or left notice for a crowd: how many people arrived (or went) with its author within
   * a moment ("Ann and 41 others joined"). Absent for one person.
   */
  others?: number;
}

/** What a reply shows of the message it answers. */
export interface ReplyQuote {
  authorName: string;
  /** The start of its text; empty when deleted. */
  excerpt: string;
  deleted?: true;
}

export interface Reaction {
  emoji: string;
  by: Member[];
}

/** Distinct reactions one message may carry (Discord's bound). */
export const MAX_REACTIONS_PER_MESSAGE = 20;
/** Characters of the answered message a reply quotes. */
export const QUOTE_EXCERPT_LENGTH = 120;
/** A palette of common reactions; any single emoji can be chosen besides. */
export const COMMON_REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🎉"] as const;

/** A stored file as messages carry it; its bytes are served at `fileUrl(roomCode, id)`. */
export interface Attachment {
  id: string;
  /** The name it was uploaded with, for display and downloads only (never a path). */
  name: string;
  /** The type read from its bytes, not from its name. */
  type: string;
  size: number;
  /** Images only: dimensions after orientation, so previews take their space before loading. */
  width?: number;
  height?: number;
  /** Images only: a small preview is served at `fileUrl(…, "thumbnail")`. */
  thumbnail?: boolean;
}

export interface Member {
  userId: string;
  name: string;
}

/** One of a person's rooms, as the home page lists it. */
export interface MemberRoom {
  code: string;
  /** Empty until the owner names the room. */
  name: string;
  /** When the newest message or notice was stored; null in a room with none. */
  lastMessageAt: number | null;
  /** Others' messages after the member's read position, counted up to `UNREAD_COUNT_CAP`. */
  unread: number;
}

/** Unread counts stop here ("99+"), so a long-unvisited room costs the home page a bounded scan. */
export const UNREAD_COUNT_CAP = 100;

export type ErrorCode =
  | "invalid"
  | "rate-limited"
  | "room-gone"
  | "not-member"
  | "unavailable"
  /** A history request while this socket's previous one is still being answered. */
  | "busy"
  /** The store refuses writes (disk full, read-only): retrying soon will not help. */
  | "cannot-store"
  /** Uploads: over the size of one file, or over the room's total. */
  | "file-too-large"
  | "room-files-full"
  /** A file URL that names no stored file of the room (never one, or deleted with its message). */
  | "no-such-file"
  | "not-owner"
  | "no-such-member"
  | MessageActionRefusal;

/** What the room's members see of it besides messages: its name, lock and owner. */
export interface RoomState {
  /** Empty until the owner names it. */
  name: string;
  /** Nobody new may join; members stay. */
  locked: boolean;
  /** Null only while a room has no members left. */
  ownerId: string | null;
  /** Newcomers need the owner's passphrase besides the code (the passphrase never leaves the server). */
  hasPassphrase: boolean;
}

/** Room names, like people's, are short labels. */
export const ROOM_NAME_MAX_LENGTH = 60;

/** A passphrase is something people say aloud or paste: long enough to resist the guess budget. */
export const PASSPHRASE_MIN_LENGTH = 6;
export const PASSPHRASE_MAX_LENGTH = 128;

/** What the owner may do. The server checks the role in the store, never the client's word. */
export type OwnerAction =
  | { type: "name"; name: string }
  | { type: "lock"; locked: boolean }
  | { type: "remove"; userId: string }
  | { type: "hand-over"; userId: string }
  /** Null clears it. */
  | { type: "passphrase"; passphrase: string | null }
  | { type: "delete" };

/** Why an owner action was refused, with what the person is told. */
export const OWNER_REFUSALS = {
  "not-owner": "Only the room's owner can do that.",
  "no-such-member": "That person is not a member of this room.",
  "room-gone": "This room no longer exists.",
} as const satisfies Record<string, string>;
export type OwnerRefusal = keyof typeof OWNER_REFUSALS;

/** Why the server ended a session for good (`session:ended`): the client stops reconnecting. */
export type SessionEndReason = "left" | "room-gone" | "removed" | "deleted";

/**
 * Why the handshake middleware refused a socket: the `connect_error` message the client reads.
 * `unavailable` (the store did not answer) and `tooManyConnections` (the address holds its
 * limit of signed-in sockets) are passing; the others end the session.
 */
export const HANDSHAKE_REFUSALS = {
  noSession: "unauthorized",
  notMember: "not-member",
  unavailable: "unavailable",
  tooManyConnections: "too-many-connections",
} as const;
export type HandshakeRefusal = (typeof HANDSHAKE_REFUSALS)[keyof typeof HANDSHAKE_REFUSALS];

/** Engine.IO refusals before any session work (HTTP 403; browsers see only a transport error). */
export const REQUEST_REFUSALS = {
  origin: "Origin not allowed",
  tooManyConnections: "Too many connections from this address",
} as const;

/** A typer tells the room "still typing" at most this often while the text changes. */
export const TYPING_REFRESH_MS = 2000;
/** The server announces "stopped" after this long without a refresh (several refreshes fit). */
export const TYPING_EXPIRY_MS = 5000;
/** A client forgets a typer whose "stopped" never came (their node died) after this long. */
export const TYPING_FALLBACK_MS = TYPING_EXPIRY_MS + 3000;

/**
 * Every acknowledgement: a value, never an exception across the wire. `retryAfterMs` comes with
 * `rate-limited`: how long until the same request would be accepted.
 */
export type Result<T extends object = object> =
  ({ ok: true } & T) | { ok: false; code: ErrorCode; error: string; retryAfterMs?: number };

/**
 * `clientId`: the sender's idempotency key, 8–64 of `A–Z a–z 0–9 _ -`. `attachments`: ids of
 * files uploaded under that key; with them the body may be empty.
 */
export type SendMessagePayload = {
  clientId: string;
  body: string;
  attachments?: string[];
  /** The sequence of the message this one answers. */
  replyTo?: number;
};

/**
 * A change to an earlier text message, stored as a relation event. Edits and deletes only of
 * one's own; `on` adds the reaction, otherwise it is taken back. `clientId` keys retries.
 */
export type MessageActionPayload =
  | { type: "edit"; clientId: string; seq: number; body: string }
  | { type: "delete"; clientId: string; seq: number }
  | { type: "react"; clientId: string; seq: number; emoji: string; on: boolean };

/** Why a message action was refused, with what the person is told. */
export const MESSAGE_ACTION_REFUSALS = {
  "no-such-message": "That message does not exist (or is not a message you can change).",
  "not-author": "You can only edit or delete your own messages.",
  "message-deleted": "That message was deleted.",
  "too-many-reactions": `A message can carry at most ${MAX_REACTIONS_PER_MESSAGE} different reactions.`,
} as const satisfies Record<string, string>;
export type MessageActionRefusal = keyof typeof MESSAGE_ACTION_REFUSALS;

/** Server-made file ids: 128 random bits as 22 URL-safe characters, never a path. */
export const FILE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
/** Files per message; each is uploaded under the message's client id and its index in it. */
export const MAX_ATTACHMENTS = 10;

/** The answer of an upload (`POST fileUploadUrl(…)`): the stored file, or why not. */
export type UploadResult = Result<{ file: Attachment }>;

/** Where an upload goes: one file per request, keyed by its message's client id and index. */
export function fileUploadUrl(roomCode: string, clientId: string, index: number): string {
  return `/files/${roomCode}?clientId=${encodeURIComponent(clientId)}&index=${index}`;
}

/** Where a stored file (or its preview) is served, to members of its room only. */
export function fileUrl(roomCode: string, fileId: string, variant?: "thumbnail"): string {
  return `/files/${roomCode}/${fileId}${variant ? `/${variant}` : ""}`;
}
export type HistoryAfterPayload = { afterSeq: number };
export type HistoryBeforePayload = { beforeSeq: number };
export type TypingPayload = { typing: boolean };
/** The newest sequence this tab has shown while visible: the home page counts unread after it. */
export type ReadPayload = { seq: number };
/** What a page sends with its socket handshake: the room it shows (a browser may be in several). */
export type HandshakeAuth = { roomCode?: string };

export type HistoryPage = { messages: ChatMessage[]; hasMore: boolean };

/**
 * One member's online state changed (or their name, while online). Never stored: a member list
 * applies it by userId (online: add or replace, offline: remove), in the order given; the whole
 * list comes on connect.
 */
export interface PresenceChange {
  userId: string;
  name: string;
  online: boolean;
}

export interface ClientToServerEvents {
  "message:send": (
    payload: SendMessagePayload,
    ack: (result: Result<{ message: ChatMessage }>) => void,
  ) => void;
  /** Catch-up after a reconnect: everything after the last sequence the client holds. */
  "history:after": (
    payload: HistoryAfterPayload,
    ack: (result: Result<HistoryPage>) => void,
  ) => void;
  /** Scrolling up: the page of messages before the oldest one shown. */
  "history:before": (
    payload: HistoryBeforePayload,
    ack: (result: Result<HistoryPage>) => void,
  ) => void;
  /** Edit, delete or react to a message; answered with the stored relation event. */
  "message:action": (
    payload: MessageActionPayload,
    ack: (result: Result<{ message: ChatMessage }>) => void,
  ) => void;
  typing: (payload: TypingPayload) => void;
  "room:read": (payload: ReadPayload) => void;
  /** The owner names, locks, removes, hands over or deletes; `state` is null once deleted. */
  "owner:action": (
    payload: OwnerAction,
    ack: (result: Result<{ state: RoomState | null }>) => void,
  ) => void;
}

export interface ServerToClientEvents {
  /** Stored messages and notices, in sequence order; notices do not change the member list. */
  message: (message: ChatMessage) => void;
  /** Who is online: the whole list, sent to a socket when it connects. */
  presence: (payload: { members: Member[] }) => void;
  /**
   * Who came online or went offline since (after the presence grace), or renamed while online:
   * one change at once in a quiet room, the changes of a crowd gathered for a moment.
   */
  "presence:changes": (payload: { changes: PresenceChange[] }) => void;
  typing: (payload: { userId: string; name: string; typing: boolean }) => void;
  /** The room's name, lock and owner: sent to a socket when it connects, and to all on a change. */
  "room:state": (state: RoomState) => void;
  /** The session no longer belongs to this room (it left, or the room expired): stop reconnecting. */
  "session:ended": (payload: { reason: SessionEndReason }) => void;
}

/** Between nodes of one deployment (through the adapter), never from a browser. */
export interface InterServerEvents {
  /** A member renamed: their sockets on every node write under the new name from now on. */
  "member:renamed": (payload: { roomCode: string; userId: string; name: string }) => void;
}

/** What the handshake learnt from the session cookie. */
export interface SocketData {
  userId: string;
  name: string;
  roomCode: string;
}

/** A tab's read reports reach the store at most this often (and when it disconnects). */
export const READ_POSITION_FLUSH_MS = 2000;

/** Messages per page, for the server-rendered first page and every history request. */
export const HISTORY_PAGE_SIZE = 50;
