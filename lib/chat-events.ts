// The one contract between the room page and the socket server: event names, payload
// schemas and the types inferred from them, imported by both `Server<...>` and `io<...>()`.
import { z } from "zod";
import { messageBodySchema } from "./validation";

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

/** Every acknowledgement: a value, never an exception across the wire. */
export type Result<T extends object = object> =
  ({ ok: true } & T) | { ok: false; code: ErrorCode; error: string };

export const clientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "Invalid message id.");

export const sendMessageSchema = z.strictObject({
  clientId: clientIdSchema,
  body: messageBodySchema,
});
export type SendMessagePayload = z.input<typeof sendMessageSchema>;

const seqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const historyAfterSchema = z.strictObject({ afterSeq: seqSchema });
export const historyBeforeSchema = z.strictObject({ beforeSeq: seqSchema });
export const typingSchema = z.strictObject({ typing: z.boolean() });

export type HistoryPage = { messages: ChatMessage[]; hasMore: boolean };

export interface ClientToServerEvents {
  "message:send": (
    payload: SendMessagePayload,
    ack: (result: Result<{ message: ChatMessage }>) => void,
  ) => void;
  /** Catch-up after a reconnect: everything after the last sequence the client holds. */
  "history:after": (
    payload: z.input<typeof historyAfterSchema>,
    ack: (result: Result<HistoryPage>) => void,
  ) => void;
  /** Scrolling up: the page of messages before the oldest one shown. */
  "history:before": (
    payload: z.input<typeof historyBeforeSchema>,
    ack: (result: Result<HistoryPage>) => void,
  ) => void;
  typing: (payload: z.input<typeof typingSchema>) => void;
}

export interface ServerToClientEvents {
  /** Joined/left notices among them are also the presence changes: member lists follow them. */
  message: (message: ChatMessage) => void;
  /** Who is present: sent to a socket when it connects. */
  presence: (payload: { members: Member[] }) => void;
  typing: (payload: { userId: string; name: string; typing: boolean }) => void;
  /** The session no longer belongs to this room (it left, or the room expired): stop reconnecting. */
  "session:ended": (payload: { reason: "left" | "room-gone" }) => void;
}

/** What the handshake learnt from the session cookie. */
export interface SocketData {
  userId: string;
  name: string;
  roomCode: string;
}

/** Messages per page, for the server-rendered first page and every history request. */
export const HISTORY_PAGE_SIZE = 50;
