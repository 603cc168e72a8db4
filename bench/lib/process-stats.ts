// What the kernel and the probe say about a server process: CPU time, open files, memory and
// event-loop delay.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import type { ProbeReading } from "./protocol";

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
}

const TICKS_PER_SECOND = clockTicksPerSecond();

/** User + system CPU seconds of every thread of the process (fields 14 and 15 of /proc/PID/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name may hold spaces and parentheses; the fields after its last ")" do not.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * Measures CPU use of the processes from now until the returned function is called, in % of one core;
 * the function's `seconds` property then holds the CPU seconds used.
 */
export function cpuMeter(pids: number | readonly number[]): (() => number) & { seconds: number } {
  const all = typeof pids === "number" ? [pids] : pids;
  const total = () => all.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const startCpu = total();
  const startTime = performance.now();
  const meter = () => {
    const elapsed = (performance.now() - startTime) / 1000;
    meter.seconds = total() - startCpu;
    return elapsed > 0 ? (meter.seconds / elapsed) * 100 : 0;
  };
  meter.seconds = 0;
  return meter;
}

export function openFiles(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** The soft limit on open files of a process, from /proc/PID/limits. */
export function openFileLimit(pid: number): number {
  const line = readFileSync(`/proc/${pid}/limits`, "utf8")
    .split("\n")
    .find((row) => row.startsWith("Max open files"));
  const soft = Number(line?.split(/\s{2,}/)[1]);
  return Number.isFinite(soft) ? soft : Infinity;
}

/** The probes of several nodes read as one: memory summed, event-loop delay the worst. */
export async function readProbes(
  probePorts: readonly number[],
  options: { reset?: boolean } = {},
): Promise<ProbeReading> {
  const readings = await Promise.all(probePorts.map((port) => readProbe(port, options)));
  const worst = (pick: (reading: ProbeReading) => number) => Math.max(...readings.map(pick));
  const sum = (pick: (reading: ProbeReading) => number) =>
    readings.reduce((total, reading) => total + pick(reading), 0);
  return {
    rssBytes: sum((r) => r.rssBytes),
    heapUsedBytes: sum((r) => r.heapUsedBytes),
    externalBytes: sum((r) => r.externalBytes),
    eventLoopDelay: {
      p50Ms: worst((r) => r.eventLoopDelay.p50Ms),
      p99Ms: worst((r) => r.eventLoopDelay.p99Ms),
      maxMs: worst((r) => r.eventLoopDelay.maxMs),
      samples: sum((r) => r.eventLoopDelay.samples),
    },
  };
}

export async function readProbe(
  probePort: number,
  options: { reset?: boolean; gc?: boolean } = {},
): Promise<ProbeReading> {
  const query = new URLSearchParams();
  if (options.reset) query.set("reset", "1");
  if (options.gc) query.set("gc", "1");
  const response = await fetch(`http://127.0.0.1:${probePort}/?${query}`);
  if (!response.ok) throw new Error(`The probe answered ${response.status}`);
  return (await response.json()) as ProbeReading;
}

/** Starts or stops (saving to `file`) a CPU profile inside the server, through its probe. */
export async function profileServer(
  probePort: number,
  action: "start" | "stop",
  file?: string,
): Promise<void> {
  const query = file ? `?file=${encodeURIComponent(file)}` : "";
  const response = await fetch(`http://127.0.0.1:${probePort}/profile/${action}${query}`);
  if (!response.ok) throw new Error(`The probe could not ${action} profiling`);
}
