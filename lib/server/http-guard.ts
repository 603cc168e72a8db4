// What an HTTP request must pass before anything renders or reads the store: a Host this server
// answers for (DNS rebinding), a URL that decodes, a server action from our own origin within its
// size, and the per-address budget of room pages. Refusals say what happened, carry the security
// headers, and are logged through the JSON logger without letting a flood of them flood the log.
import { isIP } from "node:net";
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { normalizeRoomCode } from "@/lib/room-code";
import { isAllowedOrigin, requestHost } from "./client-address";
import type { Config } from "./config";
import type { Logger } from "./logger";
import { reachableUrls } from "./network";
import type { RateLimiter } from "./rate-limit";
import { readRoomSession } from "./session";

/** On every response, pages and files alike. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  // Room links carry the room code; other sites must not learn it from a clicked link.
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

/** Our own short answers (refusals, health) run nothing and may be framed by nobody. */
const PLAIN_ANSWER_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/** Server-action bodies: a form of a name and a code. Next's own bodySizeLimit is the same. */
export const ACTION_BODY_MAX_BYTES = 16 * 1024;

/** A repeated refusal (same reason) is logged at most this often, with the count in between. */
const REFUSAL_LOG_INTERVAL_MS = 10_000;

/** Health probes come from load balancers that use whatever Host they like. */
const HOST_EXEMPT_PATHS = new Set(["/healthz", "/readyz"]);

export function sendPlain(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) return void response.end();
  response
    .writeHead(status, {
      ...SECURITY_HEADERS,
      "Content-Security-Policy": PLAIN_ANSWER_POLICY,
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "no-store",
      ...headers,
    })
    .end(`${body}\n`);
}

/** Logs the first refusal of each kind, then at most one line per interval with the count. */
export function createRefusalLog(log: Logger, now = Date.now) {
  const byReason = new Map<string, { loggedAt: number; suppressed: number }>();
  return (reason: string, context: Record<string, unknown>) => {
    const entry = byReason.get(reason);
    if (entry && now() - entry.loggedAt < REFUSAL_LOG_INTERVAL_MS) {
      entry.suppressed++;
      return;
    }
    log.warn(
      { reason, ...context, suppressedSinceLast: entry?.suppressed ?? 0 },
      "request refused",
    );
    byReason.set(reason, { loggedAt: now(), suppressed: 0 });
  };
}
export type RefusalLog = ReturnType<typeof createRefusalLog>;

/** The name in a `host[:port]` value, as URL normalises it (lower case, IPv6 in brackets). */
function hostName(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * DNS rebinding needs a name the attacker controls, so a bare address (a LAN IP behind a port
 * forward, a TCP balancer on another port) and localhost are always this server's; names are not.
 */
function isAddressOrLocalhost(name: string): boolean {
  return (
    isIP(name.replace(/^\[|\]$/g, "")) !== 0 || name === "localhost" || name.endsWith(".localhost")
  );
}

/**
 * Whether a `Host` names this server: an address or localhost at any port, this machine's names
 * (the URLs it prints, refreshed as interfaces come and go), ALLOWED_ORIGINS' and ALLOWED_HOSTS'
 * names. Ports are not compared: a proxy in front may serve on any port.
 */
export function createHostCheck(
  config: Pick<Config, "host" | "allowedOrigins" | "allowedHosts">,
  port: number,
  refreshMs = 30_000,
): (host: string | undefined) => boolean {
  const fixed = new Set<string>(
    [...config.allowedOrigins.map((origin) => new URL(origin).host), ...config.allowedHosts]
      .map(hostName)
      .filter((name): name is string => name !== undefined),
  );
  let machine = new Set<string>();
  let machineAt = -Infinity;
  return (host) => {
    const wanted = host === undefined ? undefined : hostName(host);
    if (wanted === undefined) return false;
    if (isAddressOrLocalhost(wanted) || fixed.has(wanted)) return true;
    if (performance.now() - machineAt > refreshMs) {
      const { local, network } = reachableUrls(config.host, port);
      machine = new Set([local, ...network].map((url) => new URL(url).hostname));
      machineAt = performance.now();
    }
    return machine.has(wanted);
  };
}

/**
 * Puts the Host check in front of every listener of the server (pages, Engine.IO's polling and
 * WebSocket upgrades alike), so a page on a rebinding domain reaches nothing.
 */
export function guardHosts(
  httpServer: HttpServer,
  config: Pick<Config, "trustProxy">,
  isAllowedHost: (host: string | undefined) => boolean,
  refused: RefusalLog,
): void {
  const allowed = (request: IncomingMessage) => {
    const path = request.url?.split("?")[0] ?? "";
    if (HOST_EXEMPT_PATHS.has(path)) return true;
    const host = requestHost(request, config.trustProxy);
    if (isAllowedHost(host)) return true;
    refused("host", { host: host?.slice(0, 200), path: path.slice(0, 200) });
    return false;
  };
  const message = "This server does not answer for that host name (see ALLOWED_HOSTS).";

  const requestListeners = httpServer.listeners("request") as ((...args: unknown[]) => void)[];
  httpServer.removeAllListeners("request");
  httpServer.on("request", (request: IncomingMessage, response: ServerResponse) => {
    if (!allowed(request)) return sendPlain(response, 421, message);
    for (const listener of requestListeners) listener.call(httpServer, request, response);
  });

  const upgradeListeners = httpServer.listeners("upgrade") as ((...args: unknown[]) => void)[];
  httpServer.removeAllListeners("upgrade");
  httpServer.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (allowed(request)) {
      for (const listener of upgradeListeners) listener.call(httpServer, request, socket, head);
      return;
    }
    const headers = Object.entries({
      ...SECURITY_HEADERS,
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": String(Buffer.byteLength(message)),
      Connection: "close",
    }).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.end(`HTTP/1.1 421 Misdirected Request\r\n${headers.join("")}\r\n${message}`);
  });
}

export interface RequestChecks {
  config: Config;
  /** The guess budget of the join form: an address out of guesses may open no room page either. */
  roomAttempts: RateLimiter;
  roomPages: RateLimiter;
  refused: RefusalLog;
}

function minutes(seconds: number): string {
  const count = Math.max(1, Math.ceil(seconds / 60));
  return `${count} minute${count === 1 ? "" : "s"}`;
}

/**
 * Answers a request that may not go on (true) or lets it through (false): a malformed URL, a
 * server action from a foreign origin or too large, a room page over the address's budget.
 */
export async function refuseRequest(
  request: IncomingMessage,
  response: ServerResponse,
  ip: string,
  checks: RequestChecks,
): Promise<boolean> {
  const { config, refused } = checks;
  const rawPath = request.url?.split("?")[0] ?? "/";
  const refuse = (status: number, reason: string, body: string, headers = {}) => {
    refused(reason, { status, ip, path: rawPath.slice(0, 200) });
    sendPlain(response, status, body, headers);
    return true;
  };

  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return refuse(400, "malformed-url", "Bad request: the address is not valid.");
  }

  if (request.method === "POST" && request.headers["next-action"] !== undefined) {
    const host = requestHost(request, config.trustProxy);
    if (!isAllowedOrigin(request.headers.origin, host, config.allowedOrigins))
      return refuse(403, "foreign-origin", "Forbidden: this form was sent from another site.");
    const length = request.headers["content-length"];
    if (length === undefined)
      return refuse(411, "no-length", "Length required: send the form with its length.");
    if (Number(length) > ACTION_BODY_MAX_BYTES)
      return refuse(413, "action-too-large", "Too large: this form sends a name and a code.");
    return false;
  }

  const pageCode = /^\/r\/([^/]+)\/?$/.exec(path)?.[1];
  if (pageCode === undefined) return false;
  const code = normalizeRoomCode(pageCode);
  // Someone whose session names this room already knows it; only strangers spend the budget.
  if (await readRoomSession(request.headers.cookie, config, code)) return false;
  const guesses = await checks.roomAttempts.peek(ip);
  const decision = guesses.allowed ? await checks.roomPages.take(ip) : guesses;
  if (decision.allowed) return false;
  const wait = decision.retryAfterSeconds;
  return refuse(
    429,
    "room-pages",
    `Too many room codes tried from your network. Try again in ${minutes(wait)}.`,
    { "Retry-After": String(wait) },
  );
}
