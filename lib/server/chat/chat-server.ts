// The Socket.IO side of the app: options, the handshake checks, and the handlers, on a given HTTP server.
import type { Server as HttpServer } from "node:http";
import { Server, type ServerOptions } from "socket.io";
import { TYPING_EXPIRY_MS } from "@/lib/chat-events";
import { MESSAGE_MAX_LENGTH } from "@/lib/text-rules";
import { clientIp } from "../client-address";
import type { Config } from "../config";
import { createInFlight } from "../in-flight";
import type { Logger } from "../logger";
import type { PassphraseHasher } from "../passphrase";
import { createMetrics, type ChatMetrics } from "../metrics";
import { createRateLimiter, type BucketOptions, type RateLimiter } from "../rate-limit";
import type { FileStore } from "../store/file-store";
import type { ChatStore } from "../store/types";
import { authenticateSockets, createRequestGuard } from "./handshake";
import { registerChatHandlers } from "./handlers";
import { createRoomMembership, type RoomMembership } from "./membership";
import { registerOwnerActions } from "./owner-actions";
import { trackReadPosition } from "./read-position";
import { createMessageLog, type MessageLog } from "./message-log";
import { watchSlowConsumers } from "./slow-consumers";
import { createTypingTracker } from "./typing";
import { memberChannel, roomChannel, type ChatServer } from "./types";

export interface ChatServerHandle {
  io: ChatServer;
  membership: RoomMembership;
  messageLog: MessageLog;
  metrics: ChatMetrics;
  /** Tells clients to reconnect elsewhere/later, then waits for writes under way. */
  close(): Promise<void>;
}

export interface ChatServerOptions {
  config: Config;
  store: ChatStore;
  files: FileStore;
  log: Logger;
  passphrases: PassphraseHasher;
  /** Socket.IO's adapter for several nodes (Redis Streams); the in-memory one when absent. */
  adapter?: ServerOptions["adapter"];
  /** Rate limiters every node draws from (Redis); per process when absent. */
  sharedLimiter?: (name: string, options: BucketOptions) => RateLimiter;
}

/** Worst case for one message on the wire: every character escaped as \uXXXX, plus the envelope. */
const MAX_PACKET_BYTES = MESSAGE_MAX_LENGTH * 6 + 1024;

export function createChatServer(
  httpServer: HttpServer,
  options: ChatServerOptions,
): ChatServerHandle {
  const { config, store, files, log, adapter } = options;
  // Logs name the failing step and socket, never message bodies or cookies.
  const onError = (error: unknown, step: string, socketId?: string) =>
    log.error({ err: error, step, socketId }, "chat step failed");
  const sharedLimiter = options.sharedLimiter ?? ((_name, bucket) => createRateLimiter(bucket));
  const guard = createRequestGuard(config);

  const io: ChatServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_PACKET_BYTES,
    perMessageDeflate: false,
    // Other upgrades (Next's hot reload in dev) belong to Next; Engine.IO must not end them.
    destroyUpgrade: false,
    allowRequest: guard.allowRequest,
    // Recovery replays what a briefly disconnected socket missed; the store-backed catch-up
    // remains the guarantee. Middlewares run again so a left or expired session cannot resume.
    // Only with the Redis Streams adapter, which keeps the packets in Redis: the in-memory adapter
    // would hold every broadcast in the heap for 2–3 minutes (hundreds of MB at full load).
    ...(adapter
      ? {
          adapter,
          connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
        }
      : {}),
  });
  const metrics = createMetrics({
    sockets: () => io.engine.clientsCount,
    rooms: () =>
      [...io.sockets.adapter.rooms.keys()].filter((name) => name.startsWith("room:")).length,
  });

  const inFlight = createInFlight();
  const typing = createTypingTracker(io, {
    ttlMs: TYPING_EXPIRY_MS,
    relaysPerSecond: config.limits.typingRelaysPerSecond,
  });
  const messageLog = createMessageLog(io, store);
  const membership = createRoomMembership({
    io,
    store,
    files,
    messageLog,
    inFlight,
    graceMs: config.presenceGraceMs,
    awayNoticeMs: config.awayNoticeMs,
    roomIdleMs: config.roomIdleMs,
    sweepIntervalMs: config.presenceSweepMs,
    crossNode: Boolean(adapter),
    onError,
  });
  const { messagesPerSecond, messageBurst } = config.limits;
  const messageLimits = {
    perSocket: createRateLimiter({ capacity: messageBurst, refillPerSecond: messagesPerSecond }),
    // One person may have a few tabs open, but not multiply their allowance by opening many.
    // A socket lives on one node, but a person's tabs may be spread over several.
    perSession: sharedLimiter("messages", {
      capacity: messageBurst * 2,
      refillPerSecond: messagesPerSecond * 2,
    }),
    // Generous: a lecture hall behind one NAT shares it, but one address cannot out-talk everyone.
    perAddress: sharedLimiter("address-messages", {
      capacity: config.limits.messageBurstPerAddress,
      refillPerSecond: config.limits.messagesPerAddressPerSecond,
    }),
  };
  const { historyPageBytes, slowConsumerBytes } = config.limits;
  const stopWatchingSlow = watchSlowConsumers(io, slowConsumerBytes, (socket) =>
    log.warn({ socketId: socket.id }, "disconnected a slow consumer"),
  );

  const ownerActionLimiter = createRateLimiter({
    capacity: config.limits.ownerActionBurst,
    refillPerSecond: config.limits.ownerActionsPerSecond,
  });

  authenticateSockets(io, config, store, log);
  guard.track(io);

  io.on("connection", (socket) => {
    const { roomCode, userId } = socket.data;
    void socket.join([roomChannel(roomCode), memberChannel(roomCode, userId)]);
    log.debug({ socketId: socket.id, roomCode, recovered: socket.recovered }, "socket connected");
    registerChatHandlers(socket, {
      io,
      store,
      files,
      messageLog,
      inFlight,
      typing,
      messageLimits,
      address: clientIp(socket.request, config.trustProxy),
      historyPageBytes,
      slowConsumerBytes,
      metrics,
      log,
      onError,
    });
    trackReadPosition(socket, store, onError);
    registerOwnerActions(socket, {
      store,
      membership,
      messageLog,
      passphrases: options.passphrases,
      inFlight,
      limiter: ownerActionLimiter,
      removalLockoutMs: config.limits.removalLockoutMs,
      log,
      onError,
    });
    socket.on("disconnect", () => {
      typing.update(roomCode, { userId, name: socket.data.name }, false);
      membership.disconnected(socket);
    });
    membership.connected(socket).catch((error: unknown) => onError(error, "connect", socket.id));
  });

  return {
    io,
    membership,
    messageLog,
    metrics,
    async close() {
      membership.stop();
      messageLog.stop();
      typing.stop();
      stopWatchingSlow();
      // Closing the sockets (not disconnecting them) makes clients reconnect on their own.
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
      await inFlight.drained();
    },
  };
}
