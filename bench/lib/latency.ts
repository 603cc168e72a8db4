// Latency samples in a histogram: exact enough at microsecond resolution, and constant in memory.
import { createHistogram, type RecordableHistogram } from "node:perf_hooks";
import type { LatencySummary } from "./protocol";

export interface LatencyRecorder {
  record(milliseconds: number): void;
  summary(): LatencySummary;
}

export function createLatencyRecorder(): LatencyRecorder {
  const histogram: RecordableHistogram = createHistogram();
  return {
    record(milliseconds) {
      histogram.record(Math.max(1, Math.round(milliseconds * 1000)));
    },
    summary() {
      const count = histogram.count;
      const ms = (microseconds: number) => (count === 0 ? 0 : microseconds / 1000);
      return {
        count,
        p50Ms: ms(histogram.percentile(50)),
        p95Ms: ms(histogram.percentile(95)),
        p99Ms: ms(histogram.percentile(99)),
        maxMs: ms(histogram.max),
      };
    },
  };
}
