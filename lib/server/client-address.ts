// Where a request comes from, believing proxy headers only when TRUST_PROXY says a proxy sets them.
import type { IncomingMessage } from "node:http";

function firstHeader(value: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  return raw?.split(",")[0]?.trim() || undefined;
}

/** Set by our server on every request Next handles, overwriting whatever the client sent. */
export const CLIENT_IP_HEADER = "x-roomcode-client-ip";

export function clientIp(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? firstHeader(request.headers["x-forwarded-for"]) : undefined;
  return forwarded ?? request.socket.remoteAddress ?? "unknown";
}

/** The host the browser asked for: what a same-origin page's `Origin` header must name. */
export function requestHost(request: IncomingMessage, trustProxy: boolean): string | undefined {
  return (
    (trustProxy ? firstHeader(request.headers["x-forwarded-host"]) : undefined) ??
    request.headers.host
  );
}

/**
 * May a browser page from this `Origin` talk to us? Its own origin (same host) and configured
 * origins may; a foreign or opaque (`null`) one may not. No header means no browser page is
 * asking cross-site (browsers always send it then), so the session check alone applies.
 */
export function isAllowedOrigin(
  origin: string | undefined,
  host: string | undefined,
  allowedOrigins: readonly string[],
): boolean {
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
