// Where a request comes from, believing proxy headers only from the proxies TRUST_PROXY names.
// X-Forwarded-For is read from the right, as Express's `trust proxy` does: each trusted proxy
// appends the address it saw, so the entries left of the nearest untrusted one are the client's
// own words (nginx's `$proxy_add_x_forwarded_for` keeps whatever the client sent).
import type { IncomingMessage } from "node:http";
import { BlockList, isIPv4 } from "node:net";
import type { TrustProxy } from "./config";

/** Set by our server on every request Next handles, overwriting whatever the client sent. */
export const CLIENT_IP_HEADER = "x-roomcode-client-ip";
/** Likewise: "https" when the browser talks https to us (directly or to a trusted proxy). */
export const CLIENT_PROTOCOL_HEADER = "x-roomcode-client-protocol";

/** Headers by which a proxy in front says whom it forwards for. */
export const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip"];

/** `::ffff:10.0.0.1` (IPv4 on an IPv6 socket) is `10.0.0.1`. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return mapped ?? address;
}

type TrustRule = (address: string, hop: number) => boolean;

const rules = new WeakMap<TrustProxy, TrustRule>();

function trustRule(trust: TrustProxy): TrustRule {
  let rule = rules.get(trust);
  if (rule) return rule;
  if ("hops" in trust) {
    const { hops } = trust;
    rule = (_address, hop) => hop < hops;
  } else {
    const list = new BlockList();
    for (const entry of trust.proxies) {
      const [address = "", prefix] = entry.split("/");
      const family = isIPv4(address) ? "ipv4" : "ipv6";
      if (prefix === undefined) list.addAddress(address, family);
      else list.addSubnet(address, Number(prefix), family);
    }
    rule = (address) => list.check(address, isIPv4(address) ? "ipv4" : "ipv6");
  }
  rules.set(trust, rule);
  return rule;
}

function headerList(value: string | string[] | undefined): string[] {
  const raw = Array.isArray(value) ? value.join(",") : (value ?? "");
  return raw
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** Whether the peer on the other end of the socket is a proxy we believe. */
function peerIsTrusted(request: IncomingMessage, trust: TrustProxy): boolean {
  return trustRule(trust)(plainAddress(request.socket.remoteAddress ?? ""), 0);
}

/**
 * The client's address: walking from our socket's peer leftwards through X-Forwarded-For, the
 * first address that is not a trusted proxy (or the leftmost, when every hop is trusted).
 */
export function clientIp(request: IncomingMessage, trust: TrustProxy): string {
  const chain = [
    plainAddress(request.socket.remoteAddress ?? "unknown"),
    ...headerList(request.headers["x-forwarded-for"]).reverse().map(plainAddress),
  ];
  const rule = trustRule(trust);
  let hop = 0;
  while (hop < chain.length - 1 && rule(chain[hop]!, hop)) hop++;
  return chain[hop]!;
}

/** What a trusted proxy says the browser asked for (its first entry), else the request's own. */
function forwarded(
  request: IncomingMessage,
  trust: TrustProxy,
  header: "x-forwarded-host" | "x-forwarded-proto",
): string | undefined {
  return peerIsTrusted(request, trust) ? headerList(request.headers[header])[0] : undefined;
}

/** The host the browser asked for: what a same-origin page's `Origin` header must name. */
export function requestHost(request: IncomingMessage, trust: TrustProxy): string | undefined {
  return forwarded(request, trust, "x-forwarded-host") ?? request.headers.host;
}

/** "https" when the browser's connection is encrypted up to us or up to our trusted proxy. */
export function requestProtocol(request: IncomingMessage, trust: TrustProxy): "http" | "https" {
  const proto = forwarded(request, trust, "x-forwarded-proto");
  if (proto) return proto.toLowerCase() === "https" ? "https" : "http";
  return "encrypted" in request.socket && request.socket.encrypted ? "https" : "http";
}

/** Every header by which a proxy says what the browser asked for or from where. */
const PROXY_HEADERS = [
  ...FORWARDING_HEADERS,
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-forwarded-prefix",
];

/**
 * Removes what a peer that is not a trusted proxy wrote as proxy headers, before Next reads the
 * request: Next builds its own URLs from X-Forwarded-Proto/Host, so a client's `https` on a plain
 * http server sent Next's redirects to a TLS port that is not there ("wrong version number").
 */
export function dropUntrustedProxyHeaders(request: IncomingMessage, trust: TrustProxy): void {
  if (peerIsTrusted(request, trust)) return;
  for (const header of PROXY_HEADERS) delete request.headers[header];
}

/** A request straight from this machine, relayed by nobody (no forwarding headers at all). */
export function isDirectLoopback(request: IncomingMessage): boolean {
  const address = plainAddress(request.socket.remoteAddress ?? "");
  const loopback = address === "::1" || /^127\.\d+\.\d+\.\d+$/.test(address);
  return loopback && FORWARDING_HEADERS.every((header) => request.headers[header] === undefined);
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
