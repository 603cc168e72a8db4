// What a connected socket may ask for. Every payload is checked against the contract's schemas;
// bad input gets an error acknowledgement (or is dropped when it cannot be answered), never a throw.
import {
  HISTORY_PAGE_SIZE,
  MESSAGE_ACTION_REFUSALS,
  type Attachment,
  type ChatMessage,
  type HistoryPage,
  type Result,
} from "@/lib/chat-events";
import { firstIssue } from "@/lib/validation";
import type { InFlight } from "../in-flight";
import type { Logger } from "../logger";
import type { ChatMetrics } from "../metrics";
import type { RateLimiter } from "../rate-limit";
import { toAttachment } from "../files/file-routes";
import type { FileStore } from "../store/file-store";
import { isRefused, type ChatStore } from "../store/types";
import {
  historyAfterSchema,
  historyBeforeSchema,
  sendMessageSchema,
  typingSchema,
} from "./payloads";
import type { MessageLog } from "./message-log";
import { registerMessageActions, type MemberWrite, type StoredAnswer } from "./message-actions";
import { dropIfSlow } from "./slow-consumers";
import type { TypingTracker } from "./typing";
import { roomChannel, type ChatServer, type ChatSocket } from "./types";
import { storageMessage, storageProblem } from "../store/write-health";

/** Catch-up pages are larger than scroll-back pages: a reconnecting client wants everything. */
const CATCH_UP_PAGE_SIZE = 500;

export interface HandlerDeps {
  io: ChatServer;
  store: ChatStore;
  files: FileStore;
  messageLog: MessageLog;
  inFlight: InFlight;
  typing: TypingTracker;
  /** Each takes one token per message or message action: by socket, by person, by address. */
  messageLimits: { perSocket: RateLimiter; perSession: RateLimiter; perAddress: RateLimiter };
  /** The sender's address, for the per-address bucket. */
  address: string;
  /** Largest history answer in bytes; one history request per socket at a time. */
  historyPageBytes: number;
  /** Unsent bytes after which the socket is dropped instead of answered (it does not read). */
  slowConsumerBytes: number;
  metrics: ChatMetrics;
  log: Logger;
  onError: (error: unknown, step: string, socketId?: string) => void;
}

type Ack<T extends object> = (result: Result<T>) => void;

const unavailable = {
  ok: false,
  code: "unavailable",
  error: "The server could not do that. Try again.",
} as const;

export function registerChatHandlers(socket: ChatSocket, deps: HandlerDeps): void {
  const { io, store, files, messageLog, inFlight, typing, messageLimits, metrics, log, onError } =
    deps;
  const { address, historyPageBytes, slowConsumerBytes } = deps;
  // The name is read when used: a rename updates socket.data of the member's open tabs.
  const { roomCode, userId } = socket.data;
  const member = () => ({ userId, name: socket.data.name });
  // One socket's messages are stored in the order they were sent, even when the store is async.
  let sendQueue: Promise<void> = Promise.resolve();

  /** Runs one socket's writes one after another, in the order they came. */
  function inOrder<T>(work: () => Promise<T>): Promise<T> {
    const result = sendQueue.then(work);
    sendQueue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Runs a handler that must answer; a failure becomes an error acknowledgement. */
  function answer<T extends object>(
    ack: unknown,
    context: string,
    work: () => Promise<Result<T>>,
  ): void {
    if (typeof ack !== "function") return;
    const reply = ack as Ack<T>;
    work().then(reply, (error: unknown) => {
      onError(error, context, socket.id);
      const problem = storageProblem(error);
      reply(
        problem ? { ok: false, code: "cannot-store", error: storageMessage(problem) } : unavailable,
      );
    });
  }

  async function rateLimited(): Promise<Result | null> {
    let decision = await messageLimits.perSocket.take(socket.id);
    if (decision.allowed) decision = await messageLimits.perSession.take(userId);
    if (decision.allowed) decision = await messageLimits.perAddress.take(address);
    if (decision.allowed) return null;
    const wait = Math.max(decision.retryAfterSeconds, 1);
    return {
      ok: false,
      code: "rate-limited",
      error: `You are sending messages too fast. Try again in ${wait} s.`,
      retryAfterMs: wait * 1000,
    };
  }

  /** The files a message names, when each is stored in this room and was uploaded by its sender. */
  async function ownUploads(ids: readonly string[]): Promise<Attachment[] | null> {
    if (new Set(ids).size !== ids.length) return null;
    const attachments: Attachment[] = [];
    for (const file of await Promise.all(ids.map((id) => files.getFile(roomCode, id)))) {
      if (!file || file.uploaderId !== userId) return null;
      attachments.push(toAttachment(file));
    }
    return attachments;
  }

  async function send(payload: unknown): Promise<Result<{ message: ChatMessage }>> {
    const parsed = sendMessageSchema.safeParse(payload);
    if (!parsed.success) return { ok: false, code: "invalid", error: firstIssue(parsed.error) };
    const limited = await rateLimited();
    if (limited && !limited.ok) return limited;
    const attachments = await ownUploads(parsed.data.attachments ?? []);
    if (!attachments)
      return { ok: false, code: "invalid", error: "An attached file is missing. Attach it again." };

    const stored = await storeAs({
      clientId: parsed.data.clientId,
      kind: "text",
      body: parsed.data.body,
      ...(attachments.length ? { attachments } : {}),
      ...(parsed.data.replyTo !== undefined ? { replyTo: parsed.data.replyTo } : {}),
    });
    if (stored.ok) typing.update(roomCode, member(), false);
    return stored;
  }

  /**
   * Stores a message or relation event through the room's ordered log as this member, and
   * answers with the stored copy or why not. A refusal is logged: the page never offers one.
   */
  async function storeAs(write: MemberWrite): Promise<StoredAnswer> {
    const stored = await inFlight.run(() =>
      messageLog.append({
        roomCode,
        authorId: userId,
        authorName: socket.data.name,
        createdAt: Date.now(),
        ...write,
        // Checked in the append's transaction: a member removed mid-send cannot post after it.
        requireMember: true,
      }),
    );
    if (isRefused(stored)) {
      const { refused } = stored;
      log.warn(
        { roomCode, userId, socketId: socket.id, kind: write.kind, refused },
        "write refused",
      );
      return { ok: false, code: refused, error: MESSAGE_ACTION_REFUSALS[refused] };
    }
    if (!stored) {
      if (await store.getRoom(roomCode))
        return { ok: false, code: "not-member", error: "You are no longer a member of this room." };
      socket.emit("session:ended", { reason: "room-gone" });
      return { ok: false, code: "room-gone", error: "This room no longer exists." };
    }
    if (!stored.duplicate) {
      metrics.messagesStored.inc();
      metrics.messagesDelivered.inc(io.sockets.adapter.rooms.get(roomChannel(roomCode))?.size ?? 0);
    }
    // Stored first, so a failure here leaves bytes behind, never a message without its files.
    for (const id of stored.removedFiles ?? []) await files.deleteFile(roomCode, id);
    return { ok: true, message: stored.message };
  }

  socket.on("message:send", (payload, ack) => {
    const received = performance.now();
    answer(ack, "message:send", () => {
      return inOrder(() => send(payload)).finally(() =>
        metrics.ackSeconds.observe((performance.now() - received) / 1000),
      );
    });
  });

  /**
   * History answers are the one way a small request earns a large reply: one at a time per
   * socket (the next is refused as busy until this one is answered) and cut to a byte budget.
   */
  let historyBusy = false;
  function history(ack: unknown, context: string, work: () => Promise<Result<HistoryPage>>) {
    if (typeof ack !== "function") return;
    // A client that asks without reading the answers would otherwise pile them up here.
    if (dropIfSlow(socket, slowConsumerBytes)) return;
    if (historyBusy) {
      const busy = "Your previous history request is still being answered.";
      (ack as Ack<HistoryPage>)({ ok: false, code: "busy", error: busy });
      return;
    }
    historyBusy = true;
    answer<HistoryPage>(ack, context, () => work().finally(() => (historyBusy = false)));
  }

  /** The longest run of `messages` (from `fromEnd` side) within the byte budget; at least one. */
  function withinBytes(messages: ChatMessage[], fromEnd: boolean): ChatMessage[] {
    let bytes = 0;
    const ordered = fromEnd ? [...messages].reverse() : messages;
    let count = 0;
    for (const message of ordered) {
      bytes += Buffer.byteLength(JSON.stringify(message));
      if (count > 0 && bytes > historyPageBytes) break;
      count++;
    }
    return fromEnd ? messages.slice(messages.length - count) : messages.slice(0, count);
  }

  socket.on("history:after", (payload, ack) => {
    history(ack, "history:after", async () => {
      const parsed = historyAfterSchema.safeParse(payload);
      if (!parsed.success) return { ok: false, code: "invalid", error: firstIssue(parsed.error) };
      const found = await store.messagesAfter(
        roomCode,
        parsed.data.afterSeq,
        CATCH_UP_PAGE_SIZE + 1,
      );
      const messages = withinBytes(found.slice(0, CATCH_UP_PAGE_SIZE), false);
      return { ok: true, messages, hasMore: found.length > messages.length };
    });
  });

  socket.on("history:before", (payload, ack) => {
    history(ack, "history:before", async () => {
      const parsed = historyBeforeSchema.safeParse(payload);
      if (!parsed.success) return { ok: false, code: "invalid", error: firstIssue(parsed.error) };
      // Fetch one extra to learn whether there is more; pages keep the newest end.
      const found = await store.messagesBefore(
        roomCode,
        parsed.data.beforeSeq,
        HISTORY_PAGE_SIZE + 1,
      );
      const messages = withinBytes(found.slice(-HISTORY_PAGE_SIZE), true);
      return { ok: true, messages, hasMore: found.length > messages.length };
    });
  });

  registerMessageActions(socket, { rateLimited, storeAs, answer, inOrder });

  socket.on("typing", (payload) => {
    const parsed = typingSchema.safeParse(payload);
    if (parsed.success) typing.update(roomCode, member(), parsed.data.typing);
  });
}
