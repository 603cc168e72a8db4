// Endpoints for load balancers and monitoring, answered before Next sees the request.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isDirectLoopback } from "./client-address";
import type { ChatMetrics } from "./metrics";

export interface OpsDeps {
  /** Each check rejects when its dependency cannot answer. */
  readinessChecks: Record<string, () => Promise<unknown>>;
  metrics: ChatMetrics;
  metricsToken?: string;
}

const READY_TIMEOUT_MS = 2000;

function hasBearer(request: IncomingMessage, token: string): boolean {
  const given = Buffer.from(request.headers.authorization ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function send(
  response: ServerResponse,
  status: number,
  body: string,
  type = "text/plain; charset=utf-8",
): true {
  response.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" }).end(body);
  return true;
}

async function readiness(checks: OpsDeps["readinessChecks"]): Promise<Record<string, string>> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      const timeout = new Promise((_, reject) =>
        setTimeout(() => reject(new Error("timed out")), READY_TIMEOUT_MS).unref(),
      );
      try {
        await Promise.race([check(), timeout]);
        return [name, "ok"] as const;
      } catch (error) {
        return [name, error instanceof Error ? error.message : "failed"] as const;
      }
    }),
  );
  return Object.fromEntries(results);
}

/** Answers /healthz, /readyz and /metrics; false for every other path. */
export async function handleOpsRequest(
  request: IncomingMessage,
  response: ServerResponse,
  deps: OpsDeps,
): Promise<boolean> {
  if (request.method !== "GET") return false;
  const path = request.url?.split("?")[0];
  if (path === "/healthz") return send(response, 200, "ok\n");
  if (path === "/readyz") {
    const checks = await readiness(deps.readinessChecks);
    const ready = Object.values(checks).every((result) => result === "ok");
    return send(
      response,
      ready ? 200 : 503,
      `${JSON.stringify({ ready, checks })}\n`,
      "application/json",
    );
  }
  if (path === "/metrics") {
    // Not public unless configured: a bearer token, or else only from this machine itself: a
    // request a local proxy relays carries forwarding headers and may come from anywhere.
    const allowed = deps.metricsToken
      ? hasBearer(request, deps.metricsToken)
      : isDirectLoopback(request);
    if (!allowed) return send(response, 403, "forbidden\n");
    return send(
      response,
      200,
      await deps.metrics.registry.metrics(),
      deps.metrics.registry.contentType,
    );
  }
  return false;
}
