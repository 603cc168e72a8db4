// The client side of a room, independent of React: wires one socket to the outbox (outbox.ts),
// the catch-up by sequence (catch-up.ts), presence and typing, into one snapshot for the page.
// The room page and the integration tests use this same code.
import type { Socket } from "socket.io-client";
import {
  HANDSHAKE_REFUSALS,
  type Attachment,
  type ChatMessage,
  type ClientToServerEvents,
  type HandshakeRefusal,
  type Member,
  type MessageActionPayload,
  type PresenceChange,
  type OwnerAction,
  type Result,
  type RoomState,
  type ServerToClientEvents,
  type SessionEndReason,
} from "@/lib/chat-events";
import { contiguousSeq, receiveMessages } from "@/lib/client/message-timeline";
import { checkMessageBody } from "@/lib/text-rules";
import { createCatchUp } from "./catch-up";
import { newClientId } from "./client-id";
import { createOutbox, type OutboxItem, type OutboxStorage, type SendAnswer } from "./outbox";
import { createTypers } from "./typers";

export type { OutboxItem, OutboxStorage } from "./outbox";

export type ChatClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ConnectionStatus =
  | { status: "connecting" }
  | { status: "connected" }
  | { status: "reconnecting"; attempt: number }
  | { status: "offline" }
  | { status: "ended"; reason: EndReason };

/** Why the room ended for this page: the server said so, or the cookie holds no session. */
export type EndReason = SessionEndReason | "unauthorized";

export interface RoomSnapshot {
  messages: readonly ChatMessage[];
  outbox: readonly OutboxItem[];
  members: readonly Member[];
  /** How many are online: more than `members` holds until the first full list (a page names some). */
  memberCount: number;
  typing: readonly Member[];
  connection: ConnectionStatus;
  hasOlder: boolean;
  loadingOlder: boolean;
  /** The room's name, lock and owner, as the server last said. */
  room: RoomState;
}

export interface RoomConnection {
  getSnapshot(): RoomSnapshot;
  subscribe(listener: () => void): () => void;
  /**
   * Queues a message; returns an error to show at once when the text itself is not sendable.
   * With files (already stored under `files.clientId`) the text may be empty.
   */
  send(
    body: string,
    files?: { clientId: string; attachments: Attachment[] },
    replyTo?: number,
  ): string | null;
  /**
   * Edits, deletes or reacts to a stored message (a client id is added here); the stored event
   * updates the history at once. Retried on no answer under the same client id.
   */
  messageAction(action: MessageAction): Promise<Result>;
  retry(clientId: string): void;
  discard(clientId: string): void;
  setTyping(typing: boolean): void;
  /** The person has seen everything shown so far (the home page counts unread after it). */
  markRead(): void;
  /** An owner's action; the server answers with the room's new state or why it refused. */
  ownerAction(action: OwnerAction): Promise<Result<{ state: RoomState | null }>>;
  loadOlder(): Promise<void>;
  /** The browser lost or regained its network. */
  setOnline(online: boolean): void;
  close(): void;
}

/** A message action as the page asks for it; the connection keys it for retries. */
export type MessageAction = MessageActionPayload extends infer Payload
  ? Payload extends { clientId: string }
    ? Omit<Payload, "clientId">
    : never
  : never;

/** Attempts of one message action that got no answer before it is given up. */
const ACTION_ATTEMPTS = 3;

export interface RoomConnectionOptions {
  socket: ChatClientSocket;
  userId: string;
  initial: {
    messages: readonly ChatMessage[];
    hasOlder: boolean;
    members: readonly Member[];
    /** When the page names only some of those online; `members.length` when absent. */
    memberCount?: number;
    /** Absent in scripts and tests that do not show it. */
    room?: RoomState;
  };
  storage?: OutboxStorage;
  storageKey?: string;
  ackTimeoutMs?: number;
}

const REQUEST_TIMEOUT_MS = 10_000;
/** Handshake refusals that end the room for this page; any other one is retried. */
const ENDING_ERRORS: Partial<Record<HandshakeRefusal, EndReason>> = {
  [HANDSHAKE_REFUSALS.noSession]: "unauthorized",
  [HANDSHAKE_REFUSALS.notMember]: "left",
};

export function createRoomConnection(options: RoomConnectionOptions): RoomConnection {
  const { socket, userId, storage, storageKey, ackTimeoutMs = 5000 } = options;
  const listeners = new Set<() => void>();
  const outbox = createOutbox({
    transmit: (payload) =>
      socket
        .timeout(ackTimeoutMs)
        .emitWithAck("message:send", payload)
        .then(
          (result): SendAnswer => result,
          () => null,
        ),
    canSend: () => socket.connected,
    onChange: (items) => update({ outbox: items }),
    onStored: (message) => receive([message]),
    storage,
    storageKey,
  });
  const typers = createTypers((typing) => update({ typing }));
  /** The server has sent the whole online list since this connection began. */
  let listed = false;
  let snapshot: RoomSnapshot = {
    messages: options.initial.messages,
    outbox: outbox.items,
    members: options.initial.members,
    memberCount: options.initial.memberCount ?? options.initial.members.length,
    typing: [],
    connection: { status: "connecting" },
    hasOlder: options.initial.hasOlder,
    room: options.initial.room ?? { name: "", locked: false, ownerId: null, hasPassphrase: false },
    loadingOlder: false,
  };
  const catchUp = createCatchUp({
    fetchAfter: (afterSeq) =>
      socket
        .timeout(REQUEST_TIMEOUT_MS)
        .emitWithAck("history:after", { afterSeq })
        .then(
          (result) => (result.ok ? result : null),
          () => null,
        ),
    messages: () => snapshot.messages,
    receive: (messages) => receive(messages),
    canFetch: () => socket.connected,
  });

  function update(change: Partial<RoomSnapshot>): void {
    snapshot = { ...snapshot, ...change };
    listeners.forEach((listener) => listener());
  }

  /** New messages from anywhere; an outbox entry whose copy arrived is delivered. */
  function receive(messages: readonly ChatMessage[]): void {
    const merged = receiveMessages(snapshot.messages, messages);
    if (merged !== snapshot.messages) update({ messages: merged });
    outbox.delivered(
      new Set(messages.flatMap((message) => (message.clientId ? [message.clientId] : []))),
    );
  }

  /** Members came online (or renamed while online) or went offline; notices change nothing here. */
  function followPresence(changes: readonly PresenceChange[]): void {
    const members = new Map(snapshot.members.map((member) => [member.userId, member]));
    for (const { userId: memberId, name, online } of changes) {
      if (online) members.set(memberId, { userId: memberId, name });
      else members.delete(memberId);
    }
    const sorted = [...members.values()].sort((a, b) => a.name.localeCompare(b.name));
    // Before the first full list the page's names are only some of those online.
    const memberCount = listed ? sorted.length : Math.max(sorted.length, snapshot.memberCount);
    update({ members: sorted, memberCount });
  }

  function end(reason: EndReason): void {
    update({ connection: { status: "ended", reason } });
    socket.disconnect();
  }

  socket.on("connect", () => {
    update({ connection: { status: "connected" } });
    outbox.flush();
    void catchUp();
  });
  socket.on("disconnect", (reason) => {
    outbox.reset();
    if (snapshot.connection.status === "ended" || snapshot.connection.status === "offline") return;
    // The server ending the socket on purpose (a left session) is followed by session:ended.
    if (reason !== "io client disconnect")
      update({ connection: { status: "reconnecting", attempt: 0 } });
  });
  socket.io.on("reconnect_attempt", (attempt) => {
    if (snapshot.connection.status === "reconnecting")
      update({ connection: { status: "reconnecting", attempt } });
  });
  socket.on("connect_error", (error) => {
    const ending = ENDING_ERRORS[error.message as HandshakeRefusal];
    if (ending) return end(ending);
    // Refused by a middleware for a passing reason: Socket.IO does not retry those by itself.
    if (!socket.active && snapshot.connection.status !== "offline")
      setTimeout(() => socket.connect(), 2000);
  });
  socket.on("message", (message) => {
    receive([message]);
    if (message.seq > contiguousSeq(snapshot.messages)) void catchUp();
  });
  socket.on("presence", ({ members }) => {
    listed = true;
    update({ members, memberCount: members.length });
  });
  socket.on("presence:changes", ({ changes }) => followPresence(changes));
  socket.on("room:state", (room) => update({ room }));
  socket.on("typing", ({ userId: typerId, name, typing }) => {
    if (typerId !== userId) typers.set({ userId: typerId, name }, typing);
  });
  socket.on("session:ended", ({ reason }) => end(reason));

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send(body, files, replyTo) {
      const withFiles = files && files.attachments.length > 0 ? files : undefined;
      const checked =
        withFiles && body.trim() === ""
          ? ({ ok: true, value: "" } as const)
          : checkMessageBody(body);
      if (!checked.ok) return checked.error;
      outbox.add({
        clientId: withFiles?.clientId ?? newClientId(),
        body: checked.value,
        ...(withFiles ? { attachments: withFiles.attachments } : {}),
        ...(replyTo !== undefined ? { replyTo } : {}),
      });
      return null;
    },
    async messageAction(action) {
      const payload = { ...action, clientId: newClientId() } as MessageActionPayload;
      for (let attempt = 0; attempt < ACTION_ATTEMPTS && socket.connected; attempt++) {
        try {
          const result = await socket
            .timeout(REQUEST_TIMEOUT_MS)
            .emitWithAck("message:action", payload);
          if (result.ok) receive([result.message]);
          return result;
        } catch {
          // No answer: the same client id again, so a stored first attempt is not doubled.
        }
      }
      return { ok: false, code: "unavailable", error: "Not connected. Try again in a moment." };
    },
    retry: (clientId) => outbox.retry(clientId),
    discard: (clientId) => outbox.discard(clientId),
    setTyping(typing) {
      if (socket.connected) socket.emit("typing", { typing });
    },
    async ownerAction(action) {
      if (!socket.connected)
        return { ok: false, code: "unavailable", error: "Not connected. Try again in a moment." };
      try {
        return await socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck("owner:action", action);
      } catch {
        return { ok: false, code: "unavailable", error: "No answer from the server. Try again." };
      }
    },
    markRead() {
      const seq = contiguousSeq(snapshot.messages);
      if (socket.connected && seq > 0) socket.emit("room:read", { seq });
    },
    async loadOlder() {
      const oldest = snapshot.messages[0]?.seq;
      if (snapshot.loadingOlder || !snapshot.hasOlder || oldest === undefined || !socket.connected)
        return;
      update({ loadingOlder: true });
      try {
        const result = await socket
          .timeout(REQUEST_TIMEOUT_MS)
          .emitWithAck("history:before", { beforeSeq: oldest });
        if (result.ok) {
          update({ hasOlder: result.hasMore });
          receive(result.messages);
        }
      } catch {
        // The reader can scroll up again.
      } finally {
        update({ loadingOlder: false });
      }
    },
    setOnline(online) {
      if (snapshot.connection.status === "ended") return;
      if (online) {
        update({ connection: { status: "connecting" } });
        socket.connect();
      } else {
        update({ connection: { status: "offline" } });
        socket.disconnect();
      }
    },
    close() {
      outbox.close();
      typers.close();
      socket.removeAllListeners();
      socket.io.removeAllListeners("reconnect_attempt");
      socket.disconnect();
      listeners.clear();
    },
  };
}
