// The client side of delivery, independent of React: an outbox that retries until the server
// acknowledges each message once, and a history that catches up by sequence after every reconnect.
// The room page and the integration tests use this same code.
import type { Socket } from "socket.io-client";
import {
  HANDSHAKE_REFUSALS,
  TYPING_FALLBACK_MS,
  type ChatMessage,
  type ClientToServerEvents,
  type ErrorCode,
  type HandshakeRefusal,
  type Member,
  type ServerToClientEvents,
  type SessionEndReason,
} from "@/lib/chat-events";
import { contiguousSeq, mergeMessages } from "@/lib/client/message-timeline";
import { checkMessageBody } from "@/lib/text-rules";
import { newClientId } from "./client-id";

export type ChatClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ConnectionStatus =
  | { status: "connecting" }
  | { status: "connected" }
  | { status: "reconnecting"; attempt: number }
  | { status: "offline" }
  | { status: "ended"; reason: EndReason };

/** Why the room ended for this page: the server said so, or the cookie holds no session. */
export type EndReason = SessionEndReason | "unauthorized";

export interface OutboxItem {
  clientId: string;
  body: string;
  /** Set when the server refused it: shown with retry and discard. */
  failure?: { code: ErrorCode; error: string };
}

export interface RoomSnapshot {
  messages: readonly ChatMessage[];
  outbox: readonly OutboxItem[];
  members: readonly Member[];
  typing: readonly Member[];
  connection: ConnectionStatus;
  hasOlder: boolean;
  loadingOlder: boolean;
}

/** Where the outbox survives a refresh (localStorage in the browser). */
export interface OutboxStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface RoomConnection {
  getSnapshot(): RoomSnapshot;
  subscribe(listener: () => void): () => void;
  /** Queues a message; returns an error to show at once when the text itself is not sendable. */
  send(body: string): string | null;
  retry(clientId: string): void;
  discard(clientId: string): void;
  setTyping(typing: boolean): void;
  /** The person has seen everything shown so far (the home page counts unread after it). */
  markRead(): void;
  loadOlder(): Promise<void>;
  /** The browser lost or regained its network. */
  setOnline(online: boolean): void;
  close(): void;
}

export interface RoomConnectionOptions {
  socket: ChatClientSocket;
  userId: string;
  initial: { messages: readonly ChatMessage[]; hasOlder: boolean; members: readonly Member[] };
  storage?: OutboxStorage;
  storageKey?: string;
  ackTimeoutMs?: number;
}

const MAX_RETRY_DELAY_MS = 15_000;
const REQUEST_TIMEOUT_MS = 10_000;
/** Handshake refusals that end the room for this page; any other one is retried. */
const ENDING_ERRORS: Partial<Record<HandshakeRefusal, EndReason>> = {
  [HANDSHAKE_REFUSALS.noSession]: "unauthorized",
  [HANDSHAKE_REFUSALS.notMember]: "left",
};

export function createRoomConnection(options: RoomConnectionOptions): RoomConnection {
  const { socket, userId, storage, storageKey, ackTimeoutMs = 5000 } = options;
  const listeners = new Set<() => void>();
  let snapshot: RoomSnapshot = {
    messages: options.initial.messages,
    outbox: loadOutbox(),
    members: options.initial.members,
    typing: [],
    connection: { status: "connecting" },
    hasOlder: options.initial.hasOlder,
    loadingOlder: false,
  };
  /** Sent and not yet answered, on the current connection. */
  const inFlight = new Map<string, symbol>();
  const retryTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const attempts = new Map<string, number>();
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let catchingUp = false;
  let catchUpAgain = false;

  function update(change: Partial<RoomSnapshot>): void {
    const outboxChanged = change.outbox !== undefined && change.outbox !== snapshot.outbox;
    snapshot = { ...snapshot, ...change };
    if (outboxChanged) saveOutbox();
    listeners.forEach((listener) => listener());
  }

  function loadOutbox(): OutboxItem[] {
    if (!storage || !storageKey) return [];
    try {
      const stored: unknown = JSON.parse(storage.getItem(storageKey) ?? "[]");
      return Array.isArray(stored)
        ? stored.filter(
            (item): item is OutboxItem =>
              typeof item?.clientId === "string" && typeof item?.body === "string",
          )
        : [];
    } catch {
      return [];
    }
  }

  function saveOutbox(): void {
    if (!storage || !storageKey) return;
    try {
      storage.setItem(storageKey, JSON.stringify(snapshot.outbox));
    } catch {
      // A full or disabled storage only costs persistence across refreshes.
    }
  }

  /** New messages from anywhere; an outbox entry whose copy arrived is delivered. */
  function receive(messages: readonly ChatMessage[]): void {
    const merged = mergeMessages(snapshot.messages, messages);
    const delivered = new Set(messages.map((message) => message.clientId));
    const outbox = snapshot.outbox.some((item) => delivered.has(item.clientId))
      ? snapshot.outbox.filter((item) => !delivered.has(item.clientId))
      : snapshot.outbox;
    if (merged !== snapshot.messages || outbox !== snapshot.outbox)
      update({ messages: merged, outbox });
    for (const item of messages) if (item.clientId) forgetAttempts(item.clientId);
  }

  function forgetAttempts(clientId: string): void {
    clearTimeout(retryTimers.get(clientId));
    retryTimers.delete(clientId);
    attempts.delete(clientId);
    inFlight.delete(clientId);
  }

  function flush(): void {
    if (!socket.connected) return;
    for (const item of snapshot.outbox) {
      if (!item.failure && !inFlight.has(item.clientId) && !retryTimers.has(item.clientId))
        transmit(item);
    }
  }

  function transmit(item: OutboxItem): void {
    // An answer to an attempt from an earlier connection must not settle the current one.
    const attempt = Symbol(item.clientId);
    inFlight.set(item.clientId, attempt);
    socket
      .timeout(ackTimeoutMs)
      .emit("message:send", { clientId: item.clientId, body: item.body }, (timeout, result) => {
        if (!timeout && result.ok) return receive([result.message]);
        if (inFlight.get(item.clientId) !== attempt) return;
        inFlight.delete(item.clientId);
        if (timeout || result.ok || result.code === "unavailable")
          return scheduleRetry(item.clientId);
        markFailed(item.clientId, { code: result.code, error: result.error });
      });
  }

  function scheduleRetry(clientId: string): void {
    const attempt = (attempts.get(clientId) ?? 0) + 1;
    attempts.set(clientId, attempt);
    const delay = Math.min(MAX_RETRY_DELAY_MS, 250 * 2 ** attempt) * (0.75 + Math.random() / 2);
    retryTimers.set(
      clientId,
      setTimeout(() => {
        retryTimers.delete(clientId);
        flush();
      }, delay),
    );
  }

  function markFailed(clientId: string, failure: NonNullable<OutboxItem["failure"]>): void {
    forgetAttempts(clientId);
    update({
      outbox: snapshot.outbox.map((item) =>
        item.clientId === clientId ? { ...item, failure } : item,
      ),
    });
  }

  /** Asks for everything after the last message held without a gap, until nothing is left. */
  async function catchUp(): Promise<void> {
    if (catchingUp) {
      catchUpAgain = true;
      return;
    }
    catchingUp = true;
    try {
      do {
        catchUpAgain = false;
        let more = true;
        while (more && socket.connected) {
          const afterSeq = contiguousSeq(snapshot.messages);
          const result = await socket
            .timeout(REQUEST_TIMEOUT_MS)
            .emitWithAck("history:after", { afterSeq });
          if (!result.ok) return;
          receive(result.messages);
          more = result.hasMore;
        }
      } while (catchUpAgain && socket.connected);
    } catch {
      // Timed out or disconnected: the next connection catches up again.
    } finally {
      catchingUp = false;
    }
  }

  /** A live joined/left notice is the presence change itself (the whole list comes on connect). */
  function followPresence(message: ChatMessage): void {
    if (message.kind === "text") return;
    const others = snapshot.members.filter((member) => member.userId !== message.authorId);
    if (message.kind === "left") return update({ members: others });
    const joined = { userId: message.authorId, name: message.authorName };
    update({ members: [...others, joined].sort((a, b) => a.name.localeCompare(b.name)) });
  }

  function end(reason: EndReason): void {
    update({ connection: { status: "ended", reason } });
    socket.disconnect();
  }

  function setTyper(member: Member, typing: boolean): void {
    clearTimeout(typingTimers.get(member.userId));
    typingTimers.delete(member.userId);
    const others = snapshot.typing.filter((typer) => typer.userId !== member.userId);
    if (typing) {
      typingTimers.set(
        member.userId,
        setTimeout(() => setTyper(member, false), TYPING_FALLBACK_MS),
      );
      update({ typing: [...others, member] });
    } else if (others.length !== snapshot.typing.length) {
      update({ typing: others });
    }
  }

  socket.on("connect", () => {
    attempts.clear();
    update({ connection: { status: "connected" } });
    flush();
    void catchUp();
  });
  socket.on("disconnect", (reason) => {
    inFlight.clear();
    retryTimers.forEach((timer) => clearTimeout(timer));
    retryTimers.clear();
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
    followPresence(message);
    if (message.seq > contiguousSeq(snapshot.messages)) void catchUp();
  });
  socket.on("presence", ({ members }) => update({ members }));
  socket.on("typing", ({ userId: typerId, name, typing }) => {
    if (typerId !== userId) setTyper({ userId: typerId, name }, typing);
  });
  socket.on("session:ended", ({ reason }) => end(reason));

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send(body) {
      const checked = checkMessageBody(body);
      if (!checked.ok) return checked.error;
      update({ outbox: [...snapshot.outbox, { clientId: newClientId(), body: checked.value }] });
      flush();
      return null;
    },
    retry(clientId) {
      update({
        outbox: snapshot.outbox.map((item) =>
          item.clientId === clientId ? { clientId, body: item.body } : item,
        ),
      });
      flush();
    },
    discard(clientId) {
      forgetAttempts(clientId);
      update({ outbox: snapshot.outbox.filter((item) => item.clientId !== clientId) });
    },
    setTyping(typing) {
      if (socket.connected) socket.emit("typing", { typing });
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
      retryTimers.forEach((timer) => clearTimeout(timer));
      typingTimers.forEach((timer) => clearTimeout(timer));
      socket.removeAllListeners();
      socket.io.removeAllListeners("reconnect_attempt");
      socket.disconnect();
      listeners.clear();
    },
  };
}
