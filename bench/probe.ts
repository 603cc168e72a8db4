// Preloaded (`--import`) into a server under test: serves its event-loop delay and memory on a
// loopback port named by BENCH_PROBE_PORT, so the app itself carries no bench code.
import { writeFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import { Session } from "node:inspector";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { writeHeapSnapshot } from "node:v8";
import type { ProbeReading } from "./lib/protocol";

/** Node's histogram records timer intervals; the delay is what exceeds the interval. */
const RESOLUTION_MS = 10;
const port = Number(process.env.BENCH_PROBE_PORT);

if (port > 0) {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const delayMs = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - RESOLUTION_MS);

  // A CPU profile of just the part of a run the bench asks for (`--profile`).
  let session: Session | undefined;
  const startProfile = (response: ServerResponse) => {
    session ??= new Session();
    session.connect();
    session.post("Profiler.enable", () =>
      session?.post("Profiler.start", () => response.end("{}")),
    );
  };
  const stopProfile = (response: ServerResponse, file: string | null) => {
    if (!session) return response.writeHead(409).end("{}");
    session.post("Profiler.stop", (error, result) => {
      if (!error && file) writeFileSync(file, JSON.stringify(result.profile));
      session?.disconnect();
      session = undefined;
      response.writeHead(error ? 500 : 200).end("{}");
    });
  };

  const probe = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://probe");
    const query = url.searchParams;
    if (url.pathname === "/profile/start") return startProfile(response);
    if (url.pathname === "/profile/stop") return stopProfile(response, query.get("file"));
    if (url.pathname === "/heap-snapshot") {
      writeHeapSnapshot(query.get("file") ?? undefined);
      return response.end("{}");
    }
    // Heap figures per connection mean little with garbage still in the heap.
    if (query.has("gc") && globalThis.gc) {
      globalThis.gc();
      globalThis.gc();
    }
    const memory = process.memoryUsage();
    const reading: ProbeReading = {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      externalBytes: memory.external,
      eventLoopDelay: {
        p50Ms: delayMs(delay.percentile(50)),
        p99Ms: delayMs(delay.percentile(99)),
        maxMs: delayMs(delay.max),
        samples: delay.count,
      },
    };
    if (query.has("reset")) delay.reset();
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(reading));
  });
  probe.listen(port, "127.0.0.1");
  // The probe must never keep a server alive that was asked to stop.
  probe.unref();
}
