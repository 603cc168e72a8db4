// Wires the app together: store (+ Redis) → HTTP server → ops routes → Next → Socket.IO → listen.
// server.ts calls it to run the app; tests call it to get a real server on a free port.
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import next from "next";
import { createChatServer, type ChatServerHandle } from "./chat/chat-server";
import {
  CLIENT_IP_HEADER,
  CLIENT_PROTOCOL_HEADER,
  clientIp,
  requestProtocol,
  dropUntrustedProxyHeaders,
} from "./client-address";
import type { Config } from "./config";
import { createPassphraseHasher } from "./passphrase";
import {
  createHostCheck,
  createRefusalLog,
  guardHosts,
  refuseRequest,
  SECURITY_HEADERS,
  sendPlain,
  type RequestChecks,
} from "./http-guard";
import { createLogger, type Logger } from "./logger";
import { handleFileRequest } from "./files/file-routes";
import { sweepStaleUploads } from "./files/incoming";
import { handleOpsRequest } from "./ops-routes";
import {
  createRateLimiter,
  createRedisRateLimiter,
  type BucketOptions,
  type RateLimiter,
} from "./rate-limit";
import { connectRedis, type RedisClient } from "./redis";
import { setRuntime } from "./runtime";
import { openStore } from "./store";
import type { FileStore } from "./store/file-store";
import { openFileStore } from "./store/open-file-store";
import type { ChatStore } from "./store/types";
import { watchWrites } from "./store/write-health";

export interface RunningServer {
  port: number;
  /** http://127.0.0.1:PORT — for tests and the log line. */
  url: string;
  httpServer: HttpServer;
  store: ChatStore;
  files: FileStore;
  chat: ChatServerHandle;
  log: Logger;
  /** Stops accepting, tells clients to reconnect, finishes writes, closes the store. */
  close(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  /** The Next app's directory; omit to run the socket server alone (integration tests). */
  nextDir?: string;
  /** Where logs go; a JSON-lines logger on standard output when absent. */
  log?: Logger;
  /** A store to use instead of the configured one (tests that make writes fail). */
  store?: ChatStore;
}

const SOCKET_PATH = "/socket.io/";

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, nextDir } = options;
  const log = options.log ?? createLogger(config);
  const watched = watchWrites(options.store ?? (await openStore(config, log)));
  const { store } = watched;
  const files = await openFileStore(config, log);
  const stopSweepingUploads = await sweepStaleUploads(config.filesDir, log);
  const redis = config.redisUrl
    ? await connectRedis(config.redisUrl, (error) =>
        log.error({ err: error }, "Redis connection error"),
      )
    : undefined;
  const sharedLimiter = (name: string, bucket: BucketOptions): RateLimiter =>
    redis
      ? createRedisRateLimiter(redis, `${config.redisPrefix}rate:${name}:`, bucket)
      : createRateLimiter(bucket);

  const httpServer = createServer();
  // Next needs the port it serves on (it fetches its own redirects), known only after listening
  // when PORT=0; so the listener is attached now, before Socket.IO wraps it, and Next comes later.
  let handleNext:
    ((request: IncomingMessage, response: ServerResponse) => Promise<void>) | undefined;
  const nextUpgrades = new EventEmitter();

  const passphrases = createPassphraseHasher({
    atOnce: config.limits.passphraseHashesAtOnce,
    queue: config.limits.passphraseHashQueue,
  });
  const chat = createChatServer(httpServer, {
    config,
    store,
    files,
    log,
    passphrases,
    sharedLimiter,
    adapter: redis
      ? createAdapter(redis, {
          streamName: `${config.redisPrefix}socket.io`,
          sessionKeyPrefix: `${config.redisPrefix}sio:session:`,
          // Every event is JSON (files travel over HTTP): no binary scan of each broadcast.
          onlyPlaintext: true,
          // A node that falls behind catches up in larger reads (the default is 100 a read).
          readCount: 1000,
        })
      : undefined,
  });
  const opsDeps = {
    metrics: chat.metrics,
    metricsToken: config.metricsToken,
    readinessChecks: {
      store: async () => {
        await store.ping();
        await watched.writable();
      },
      files: () => files.ping(),
      ...(redis ? { redis: () => redis.ping() } : {}),
    },
  };
  const fileDeps = {
    config,
    store,
    files,
    log,
    uploadLimit: sharedLimiter("uploads", {
      capacity: config.limits.uploadsPerMinute,
      refillPerSecond: config.limits.uploadsPerMinute / 60,
    }),
  };

  const { joinAttemptsPerHour, roomPagesPerHour } = config.limits;
  const perHour = (name: string, perHourLimit: number) =>
    sharedLimiter(name, { capacity: perHourLimit, refillPerSecond: perHourLimit / 3600 });
  const roomAttempts = perHour("rooms", joinAttemptsPerHour);
  const checks: RequestChecks = {
    config,
    roomAttempts,
    roomPages: perHour("room-pages", roomPagesPerHour),
    refused: createRefusalLog(log),
  };

  httpServer.prependListener("request", (request: IncomingMessage, response: ServerResponse) => {
    if (request.url?.startsWith(SOCKET_PATH)) return; // Engine.IO's own listener answers these.
    void serveHttp(request, response);
  });
  httpServer.on("upgrade", (request, socket, head) => {
    if (!request.url?.startsWith(SOCKET_PATH)) nextUpgrades.emit("upgrade", request, socket, head);
  });

  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId =
      (request.headers["x-request-id"] as string | undefined)?.slice(0, 100) ?? randomUUID();
    const started = performance.now();
    response.setHeader("X-Request-Id", requestId);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    response.on("finish", () =>
      log.debug(
        {
          requestId,
          method: request.method,
          path: request.url?.split("?")[0],
          status: response.statusCode,
          ms: Math.round(performance.now() - started),
        },
        "request",
      ),
    );
    try {
      const ip = clientIp(request, config.trustProxy);
      if (await refuseRequest(request, response, ip, checks)) return;
      if (await handleOpsRequest(request, response, opsDeps)) return;
      if (await handleFileRequest(request, response, fileDeps)) return;
      // Server actions cannot see the socket; they read these from headers only we set.
      request.headers[CLIENT_IP_HEADER] = ip;
      request.headers[CLIENT_PROTOCOL_HEADER] = requestProtocol(request, config.trustProxy);
      dropUntrustedProxyHeaders(request, config.trustProxy);
      if (handleNext) return await handleNext(request, response);
      sendPlain(response, nextDir === undefined ? 404 : 503, "Not here.", { "Retry-After": "1" });
    } catch (error) {
      log.error({ err: error, requestId }, "request failed");
      sendPlain(response, 500, "The server could not answer this request.");
    }
  }

  setRuntime({
    config,
    log,
    store,
    files,
    membership: chat.membership,
    passphrases,
    roomAttempts,
    roomJoins: perHour("joins", config.limits.joinsPerHour),
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  guardHosts(httpServer, config, createHostCheck(config, port), checks.refused);

  if (nextDir !== undefined) {
    const app = next({
      dev: config.dev,
      dir: nextDir,
      hostname: ["0.0.0.0", "::"].includes(config.host) ? "localhost" : config.host,
      port,
      // Next attaches its upgrade listener (HMR, rewrites) to whatever it is given as httpServer;
      // a relay keeps it away from Socket.IO's upgrades.
      httpServer: nextUpgrades as unknown as HttpServer,
    });
    await app.prepare();
    handleNext = app.getRequestHandler();
  }

  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    httpServer,
    store,
    files,
    chat,
    log,
    close() {
      closing ??= (async () => {
        stopSweepingUploads();
        const closed = chat.close();
        // Idle keep-alive connections would hold the HTTP server open.
        httpServer.closeIdleConnections();
        await closed;
        setRuntime(undefined);
        await store.close();
        await files.close();
        await closeRedis(redis);
      })();
      return closing;
    },
  };
}

async function closeRedis(redis: RedisClient | undefined): Promise<void> {
  if (redis?.isOpen) await redis.quit().catch(() => redis.destroy());
}
