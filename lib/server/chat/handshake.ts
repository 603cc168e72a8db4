// Who may open a socket: a page of our own origin, within the per-address connection limit,
// carrying a session cookie that holds the page's room, of which its holder is still a member.
import type { IncomingMessage } from "node:http";
import type { ServerOptions } from "socket.io";
import { HANDSHAKE_REFUSALS, REQUEST_REFUSALS } from "@/lib/chat-events";
import type { Config } from "../config";
import { clientIp, isAllowedOrigin, requestHost } from "../client-address";
import { throttledErrorLog, type Logger } from "../logger";
import { readRoomSession } from "../session";
import { handshakeAuthSchema } from "./payloads";
import type { ChatStore } from "../store/types";
import type { ChatServer } from "./types";

type AllowRequest = NonNullable<ServerOptions["allowRequest"]>;

/**
 * Checks every HTTP request and upgrade Engine.IO sees, before any session work. Only signed-in
 * sockets count against an address's connection limit: handshakes without a valid cookie are
 * refused by the session check, so they cannot crowd out a member on the same network.
 */
export function createRequestGuard(config: Config): {
  allowRequest: AllowRequest;
  track: (io: ChatServer) => void;
} {
  const connectionsByIp = new Map<string, number>();
  const ipOf = (request: IncomingMessage) => clientIp(request, config.trustProxy);
  const atLimit = (ip: string) => (connectionsByIp.get(ip) ?? 0) >= config.limits.connectionsPerIp;

  const allowRequest: AllowRequest = (request, callback) => {
    const origin = request.headers.origin;
    if (!isAllowedOrigin(origin, requestHost(request, config.trustProxy), config.allowedOrigins)) {
      callback(REQUEST_REFUSALS.origin, false);
      return;
    }
    // Only a new handshake (no session id yet) may open a connection; a full address opens none.
    const isHandshake = !new URL(request.url ?? "/", "http://x").searchParams.has("sid");
    if (isHandshake && atLimit(ipOf(request))) {
      callback(REQUEST_REFUSALS.tooManyConnections, false);
      return;
    }
    callback(null, true);
  };

  function track(io: ChatServer): void {
    // Runs after the session middleware: a socket that gets here is signed in.
    io.use((socket, next) => {
      if (atLimit(ipOf(socket.request))) next(new Error(HANDSHAKE_REFUSALS.tooManyConnections));
      else next();
    });
    io.on("connection", (socket) => {
      const ip = ipOf(socket.request);
      connectionsByIp.set(ip, (connectionsByIp.get(ip) ?? 0) + 1);
      socket.once("disconnect", () => {
        const count = (connectionsByIp.get(ip) ?? 1) - 1;
        if (count > 0) connectionsByIp.set(ip, count);
        else connectionsByIp.delete(ip);
      });
    });
  }

  return { allowRequest, track };
}

/** Socket.IO middleware: the session cookie decides who the socket is and which room it may use. */
export function authenticateSockets(
  io: ChatServer,
  config: Config,
  store: ChatStore,
  log: Logger,
): void {
  // Clients retry a refused handshake every few seconds: one line per interval, not per attempt.
  const logFailure = throttledErrorLog(log, "handshake session check failed");
  io.use((socket, next) => {
    (async () => {
      const auth = handshakeAuthSchema.safeParse(socket.handshake.auth);
      if (!auth.success) return next(new Error(HANDSHAKE_REFUSALS.noSession));
      const session = await readRoomSession(
        socket.request.headers.cookie,
        config,
        auth.data.roomCode,
      );
      if (!session) return next(new Error(HANDSHAKE_REFUSALS.noSession));
      // A copy of a cookie from before its holder left (or of an expired room) opens nothing.
      const member = await store.getMember(session.roomCode, session.userId);
      if (!member) return next(new Error(HANDSHAKE_REFUSALS.notMember));
      socket.data = { userId: session.userId, name: member.name, roomCode: session.roomCode };
      next();
    })().catch((error: unknown) => {
      logFailure({ err: error, step: "handshake", socketId: socket.id });
      next(new Error(HANDSHAKE_REFUSALS.unavailable));
    });
  });
}
