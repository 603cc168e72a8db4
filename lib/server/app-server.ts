// Wires the app together: store → Next's handler → HTTP server → Socket.IO → listen.
// server.ts calls it to run the app; tests call it to get a real server on a free port.
import { EventEmitter } from "node:events";
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import next from "next";
import { CLIENT_IP_HEADER, clientIp } from "./client-address";
import { createChatServer, type ChatServerHandle } from "./chat/chat-server";
import type { Config } from "./config";
import { createRateLimiter } from "./rate-limit";
import { setRuntime } from "./runtime";
import { openStore } from "./store";
import type { ChatStore } from "./store/types";

export interface RunningServer {
  port: number;
  /** http://127.0.0.1:PORT — for tests and the log line. */
  url: string;
  httpServer: HttpServer;
  store: ChatStore;
  chat: ChatServerHandle;
  /** Stops accepting, tells clients to reconnect, finishes writes, closes the store. */
  close(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  /** The Next app's directory; omit to run the socket server alone (integration tests). */
  nextDir?: string;
  sweepIntervalMs?: number;
}

const SOCKET_PATH = "/socket.io/";

export async function startServer({
  config,
  nextDir,
  sweepIntervalMs,
}: StartOptions): Promise<RunningServer> {
  const store = await openStore(config);
  const httpServer = createServer();
  // Next needs the port it serves on (it fetches its own redirects), known only after listening
  // when PORT=0; so the handler is attached now, before Socket.IO wraps it, and filled in later.
  let handleNext:
    ((request: IncomingMessage, response: ServerResponse) => Promise<void>) | undefined;
  const nextUpgrades = new EventEmitter();
  if (nextDir !== undefined) {
    httpServer.on("request", (request, response) => {
      // Server actions cannot see the socket; they read the address from a header only we set.
      request.headers[CLIENT_IP_HEADER] = clientIp(request, config.trustProxy);
      if (handleNext) void handleNext(request, response);
      else response.writeHead(503, { "Retry-After": "1" }).end("Starting…");
    });
    httpServer.on("upgrade", (request, socket, head) => {
      if (!request.url?.startsWith(SOCKET_PATH))
        nextUpgrades.emit("upgrade", request, socket, head);
    });
  }

  const chat = createChatServer(httpServer, { config, store, sweepIntervalMs });
  const { joinAttemptsPerHour } = config.limits;
  const roomAttempts = createRateLimiter({
    capacity: joinAttemptsPerHour,
    refillPerSecond: joinAttemptsPerHour / 3600,
  });
  setRuntime({ config, store, membership: chat.membership, roomAttempts });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;

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
    chat,
    close() {
      closing ??= (async () => {
        const closed = chat.close();
        // Idle keep-alive connections would hold the HTTP server open.
        httpServer.closeIdleConnections();
        await closed;
        setRuntime(undefined);
        await store.close();
      })();
      return closing;
    },
  };
}
