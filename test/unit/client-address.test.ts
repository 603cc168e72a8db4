// Whose address a request carries behind proxies, and how often a repeated refusal is logged.
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import {
  clientIp,
  dropUntrustedProxyHeaders,
  isDirectLoopback,
  requestProtocol,
} from "@/lib/server/client-address";
import type { TrustProxy } from "@/lib/server/config";
import { createRefusalLog } from "@/lib/server/http-guard";
import type { Logger } from "@/lib/server/logger";

function request(peer: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress: peer }, headers } as unknown as IncomingMessage;
}

describe("the client's address", () => {
  // The client wrote 6.6.6.6; nginx (at 10.0.0.2) appended the client's real 203.0.113.5;
  // a load balancer at 127.0.0.1 appended 10.0.0.2.
  const chain = request("::ffff:127.0.0.1", {
    "x-forwarded-for": "6.6.6.6, 203.0.113.5, 10.0.0.2",
  });
  const address = (trust: TrustProxy) => clientIp(chain, trust);

  it("counts trusted hops from the right and never takes the client's own entry", () => {
    expect(address({ hops: 0 })).toBe("127.0.0.1");
    expect(address({ hops: 1 })).toBe("10.0.0.2");
    expect(address({ hops: 2 })).toBe("203.0.113.5");
    expect(address({ hops: 3 })).toBe("6.6.6.6");
    expect(address({ hops: 9 })).toBe("6.6.6.6");
  });

  it("walks past listed proxies and stops at the first address that is not one", () => {
    expect(address({ proxies: ["127.0.0.1/8"] })).toBe("10.0.0.2");
    expect(address({ proxies: ["127.0.0.1/8", "10.0.0.0/8"] })).toBe("203.0.113.5");
    expect(address({ proxies: ["192.168.0.0/16"] })).toBe("127.0.0.1");
  });

  it("strips proxy headers a client wrote before Next sees them, and keeps a trusted proxy's", () => {
    const headers = {
      "x-forwarded-proto": "https",
      "x-forwarded-host": "evil.example",
      "x-forwarded-port": "443",
      "x-forwarded-for": "6.6.6.6",
      forwarded: "proto=https",
      "user-agent": "curl",
    };
    const direct = request("203.0.113.5", { ...headers });
    dropUntrustedProxyHeaders(direct, { hops: 0 });
    expect(direct.headers).toEqual({ "user-agent": "curl" });
    const proxied = request("10.0.0.2", { ...headers });
    dropUntrustedProxyHeaders(proxied, { proxies: ["10.0.0.0/8"] });
    expect(proxied.headers).toEqual(headers);
  });

  it("believes X-Forwarded-Proto only from a trusted peer", () => {
    const proxied = request("127.0.0.1", { "x-forwarded-proto": "https" });
    expect(requestProtocol(proxied, { hops: 1 })).toBe("https");
    expect(requestProtocol(proxied, { hops: 0 })).toBe("http");
    expect(requestProtocol(proxied, { proxies: ["10.0.0.0/8"] })).toBe("http");
  });

  it("treats only a loopback peer without forwarding headers as this machine", () => {
    expect(isDirectLoopback(request("127.0.0.1"))).toBe(true);
    expect(isDirectLoopback(request("::1"))).toBe(true);
    expect(isDirectLoopback(request("127.0.0.1", { "x-forwarded-for": "127.0.0.1" }))).toBe(false);
    expect(isDirectLoopback(request("127.0.0.1", { "x-real-ip": "1.2.3.4" }))).toBe(false);
    expect(isDirectLoopback(request("10.0.0.2"))).toBe(false);
  });
});

describe("refusal log", () => {
  it("logs the first refusal of a kind, then one line per interval with the count between", () => {
    const lines: Record<string, unknown>[] = [];
    const log = {
      warn: (fields: Record<string, unknown>) => lines.push(fields),
    } as unknown as Logger;
    let time = 0;
    const refused = createRefusalLog(log, () => time);
    for (let i = 0; i < 100; i++) refused("host", { i });
    refused("malformed-url", {});
    expect(lines).toHaveLength(2);
    time = 10_000;
    refused("host", {});
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ reason: "host", suppressedSinceLast: 99 });
  });
});
