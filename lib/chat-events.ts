// The one contract between the room page and the socket server: event names, payload types,
// error codes, refusal codes, end reasons and shared timings, imported by both `Server<...>` and
// `io<...>()`, so a rename on one side breaks the build of the other. The browser imports it, so
// it stays free of zod; the server checks payloads with schemas typed against these types
// (lib/server/chat/payloads.ts).

export type MessageKind = "text" | "joined" | "left";

export interface ChatMessage {
  /** Server-assigned id. */
  id: string;
  roomCode: string;
  /** Per-room sequence: 1, 2, 3… without gaps; the order everyone sees. */
  seq: number;
  /** The sender's idempotency key; null for notices the server writes itself. */
  clientId: string | null;
  kind: MessageKind;
  authorId: string;
  authorName: string;
  /** Empty for join/leave notices. */
  body: string;
  /** When the server stored it, in ms since the epoch. */
  createdAt: number;
}

export interface Member {
  userId: string;
  name: string;
}

export type ErrorCode = "invalid" | "rate-limited" | "room-gone" | "not-member" | "unavailable";

/** Why the server ended a session for good (`session:ended`): the client stops reconnecting. */
export type SessionEndReason = "left" | "room-gone";

/**
 * Why the handshake middleware refused a socket: the `connect_error` message the client reads.
 * `unavailable` is passing (the store did not answer); the others end the session.
 */
export const HANDSHAKE_REFUSALS = {
  noSession: "unauthorized",
  notMember: "not-member",
  unavailable: "unavailable",
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

/** Every acknowledgement: a value, never an exception across the wire. */
export type Result<T extends object = object> =
  ({ ok: true } & T) | { ok: false; code: ErrorCode; error: string };

/** `clientId`: the sender's idempotency key, 8–64 of `A–Z a–z 0–9 _ -`. */
export type SendMessagePayload = { clientId: string; body: string };
export type HistoryAfterPayload = { afterSeq: number };
export type HistoryBeforePayload = { beforeSeq: number };
export type TypingPayload = { typing: boolean };

export type HistoryPage = { messages: ChatMessage[]; hasMore: boolean };

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
  typing: (payload: TypingPayload) => void;
}

export interface ServerToClientEvents {
  /** Joined/left notices among them are also the presence changes: member lists follow them. */
  message: (message: ChatMessage) => void;
  /** Who is present: sent to a socket when it connects. */
  presence: (payload: { members: Member[] }) => void;
  typing: (payload: { userId: string; name: string; typing: boolean }) => void;
  /** The session no longer belongs to this room (it left, or the room expired): stop reconnecting. */
  "session:ended": (payload: { reason: SessionEndReason }) => void;
}

/** What the handshake learnt from the session cookie. */
export interface SocketData {
  userId: string;
  name: string;
  roomCode: string;
}

/** Messages per page, for the server-rendered first page and every history request. */
export const HISTORY_PAGE_SIZE = 50;
