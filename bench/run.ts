// `npm run bench`: builds the app into its own folder, then runs each scenario against a fresh app
// server and a fresh bare Socket.IO server, and writes the table, JSON and chart.
// Everything stays on 127.0.0.x; a deadline stops the run, keeping what was measured.
import { spawn } from "node:child_process";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { renderChart } from "./lib/chart";
import { sleep, waitFor } from "./lib/concurrency";
import { forkGenerator, killAllGenerators, type GeneratorHandle } from "./lib/generators";
import { roomPageWeight } from "./lib/page-weight";
import { cpuMeter, openFileLimit, openFiles, readProbe } from "./lib/process-stats";
import { summariseProfile } from "./lib/profile-summary";
import type {
  FanoutConfig,
  FanoutResult,
  ProbeReading,
  StormConfig,
  StormResult,
  TargetKind,
} from "./lib/protocol";
import {
  evaluateBudgets,
  renderMarkdown,
  type BenchResults,
  type IdleResult,
  type PerTarget,
} from "./lib/report";
import { startCluster, startTarget, type RunningTarget } from "./lib/targets";
import { errorText } from "./lib/errors";

const ROOT = path.resolve(__dirname, "..");
const RESULTS_DIR = path.join(ROOT, "bench/results");
const DIST_DIR = ".next-bench";
const ROOM_SIZE = 20;
/** Each idle generator holds at most this many sockets, well inside its own open-file limit. */
const SHARD_SIZE = 10_000;
/** Open files the server keeps for itself beyond the sockets (log, database, probe, logins). */
const FD_MARGIN = 40;
const WARM_UP_SECONDS = 2;
/** A breather between steps, so one step's stragglers do not count against the next. */
const STEP_PAUSE_MS = 500;
/** Idle connections are held this long, past one presence sweep (PRESENCE_SWEEP_MS, 15 s). */
const HOLD_SECONDS = 16;

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    only: { type: "string", default: "fanout,cluster,storm,idle" },
    targets: { type: "string", default: "ours,baseline" },
    idle: { type: "string" },
    joiners: { type: "string" },
    "step-seconds": { type: "string" },
    /** Messages per second per member, one step each, e.g. 1,2,4 */
    rates: { type: "string" },
    "max-minutes": { type: "string", default: "9.5" },
    /** Also take CPU profiles of the servers over the fan-out steps and the join storm. */
    profile: { type: "boolean", default: false },
  },
});

const quick = flags.quick ?? false;
const scenarios = new Set((flags.only ?? "").split(","));
const targets = (flags.targets ?? "")
  .split(",")
  .filter((t): t is TargetKind => t === "ours" || t === "baseline");
const fanoutConfig: FanoutConfig = {
  rooms: quick ? 10 : 50,
  roomSize: ROOM_SIZE,
  ratesPerMember: flags.rates
    ? flags.rates.split(",").map(Number)
    : quick
      ? [2, 8, 20]
      : [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32],
  stepSeconds: Number(flags["step-seconds"] ?? (quick ? 2 : 5)),
  p99LimitMs: 50,
  maxSeconds: quick ? 40 : 120,
};
/** Two nodes on PostgreSQL and Redis (from DATABASE_URL and REDIS_URL), members split between them. */
const clusterConfig: FanoutConfig = {
  ...fanoutConfig,
  ratesPerMember: flags.rates
    ? fanoutConfig.ratesPerMember
    : quick
      ? [1, 2]
      : [1, 2, 3, 4, 5, 6, 8],
  maxSeconds: quick ? 20 : 45,
};
const idleConnections = Number(flags.idle ?? (quick ? 1000 : 20_000));
const stormConfig: StormConfig = {
  busyMembers: ROOM_SIZE,
  busyRatePerMember: 2,
  joiners: Number(flags.joiners ?? (quick ? 100 : 1000)),
  windowSeconds: 5,
  fetchPage: true,
  // Four times the target (all ready within 10 s); a slower run says "never" rather than how long.
  timeoutSeconds: 40,
};
/** A lecture hall: fewer people, arriving over a longer while. */
const lectureConfig: StormConfig = {
  ...stormConfig,
  joiners: quick ? 30 : 300,
  windowSeconds: 10,
  timeoutSeconds: 30,
};

const log = (line: string) => console.log(`[bench] ${line}`);
const workDir = mkdtempSync(path.join(os.tmpdir(), "roomcode-bench-"));
const runningTargets = new Set<RunningTarget>();

async function build(): Promise<void> {
  log(`building the app into ${DIST_DIR}…`);
  const logFile = path.join(workDir, "build.log");
  const output = createWriteStream(logFile);
  const child = spawn(path.join(ROOT, "node_modules/.bin/next"), ["build"], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", NEXT_DIST_DIR: DIST_DIR },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.pipe(output);
  child.stderr.pipe(output);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`next build failed; see ${logFile}`);
}

const targetOptions = (label: string) => ({ root: ROOT, distDir: DIST_DIR, workDir, label });

async function withTarget<T>(
  kind: TargetKind,
  label: string,
  work: (target: RunningTarget) => Promise<T>,
): Promise<T> {
  const target = await startTarget(kind, {
    root: ROOT,
    distDir: DIST_DIR,
    workDir,
    label: `${label}-${kind}`,
  });
  runningTargets.add(target);
  try {
    return await work(target);
  } finally {
    await target.stop();
    runningTargets.delete(target);
  }
}

const profileFile = (label: string) =>
  flags.profile ? path.join(workDir, `${label}.cpuprofile`) : undefined;

/**
 * Both servers are up at once and take turns, step by step, so that whatever else the machine is
 * doing falls on ours and the baseline alike. A target drops out once its p99 passes the limit.
 */
async function runFanouts(
  kinds: TargetKind[],
  fanoutConfig: FanoutConfig,
  options: {
    label: string;
    start: (kind: TargetKind, label: string) => Promise<RunningTarget>;
    onStarted?: (target: RunningTarget) => Promise<void>;
  },
): Promise<PerTarget<FanoutResult>> {
  const runs: Array<{
    kind: TargetKind;
    target: RunningTarget;
    generator: GeneratorHandle;
    result: FanoutResult;
  }> = [];
  const startedTargets: RunningTarget[] = [];
  try {
    for (const kind of kinds) {
      const target = await options.start(kind, `${options.label}-${kind}`);
      runningTargets.add(target);
      startedTargets.push(target);
      await options.onStarted?.(target);
      const config = { ...fanoutConfig, profileFile: profileFile(`${options.label}-${kind}`) };
      const generator = forkGenerator(ROOT, { scenario: "fanout", target, config }, (line) =>
        log(`  ${kind}: ${line}`),
      );
      const ready = await generator.next("ready");
      runs.push({
        kind,
        target,
        generator,
        result: {
          clients: ready.clients,
          seatSeconds: ready.seatSeconds,
          connectSeconds: ready.connectSeconds,
          steps: [],
          stoppedBecause: "all steps run",
        },
      });
    }
    const step = async (run: (typeof runs)[number], rate: number, seconds: number, id: string) => {
      run.generator.send({ type: "step", ratePerMember: rate, seconds, id });
      return (await run.generator.next("stepped")).step;
    };
    for (const run of runs)
      await step(run, fanoutConfig.ratesPerMember[0] ?? 1, WARM_UP_SECONDS, "warm");
    for (const run of runs) {
      run.generator.send({ type: "profile", action: "start" });
      await run.generator.next("profiled");
    }
    // The time limit covers the measured steps, not the log-ins before them.
    const started = performance.now();
    let active = [...runs];
    for (const [index, rate] of fanoutConfig.ratesPerMember.entries()) {
      if (active.length === 0) break;
      if ((performance.now() - started) / 1000 > fanoutConfig.maxSeconds) {
        for (const run of active)
          run.result.stoppedBecause = `time limit (${fanoutConfig.maxSeconds} s)`;
        break;
      }
      for (const run of active) {
        await sleep(STEP_PAUSE_MS);
        const result = await step(run, rate, fanoutConfig.stepSeconds, `s${index}`);
        run.result.steps.push(result);
        log(
          `  ${run.kind}: ${rate}/s per member: ${Math.round(result.deliveriesPerSecond)} deliveries/s, ` +
            `p99 ${result.latency.p99Ms.toFixed(1)} ms, lost ${result.lost}, dup ${result.duplicated}, ` +
            `server CPU ${result.serverCpuPercent.toFixed(0)}% (${result.serverCpuMicrosPerDelivery.toFixed(1)} µs per delivery, ${result.bytesPerDelivery} B), loop p99 ${result.eventLoopP99Ms.toFixed(1)} ms, ` +
            `generator CPU ${result.generatorCpuPercent.toFixed(0)}%`,
        );
        if (result.latency.p99Ms > fanoutConfig.p99LimitMs)
          run.result.stoppedBecause = `p99 passed ${fanoutConfig.p99LimitMs} ms`;
        else if (result.lost > 0 || result.rejected > 0)
          run.result.stoppedBecause = `messages lost or refused${result.firstRejection ? ` (${result.firstRejection})` : ""}`;
      }
      active = active.filter((run) => run.result.stoppedBecause === "all steps run");
    }
    for (const run of runs) {
      run.generator.send({ type: "profile", action: "stop" });
      await run.generator.next("profiled");
    }
    return Object.fromEntries(runs.map((run) => [run.kind, run.result]));
  } finally {
    for (const run of runs) run.generator.send({ type: "close" });
    // Also a target whose generator failed before it was ready (it is not among the runs).
    for (const target of startedTargets) {
      await target.stop();
      runningTargets.delete(target);
    }
  }
}

/** Runs the storm scenario (bench/scenarios/storm.ts) in a generator process of its own. */
async function stormInGenerator(
  target: RunningTarget,
  stormConfig: StormConfig,
  label: string,
): Promise<StormResult> {
  const config = { ...stormConfig, profileFile: profileFile(`${label}-${target.kind}`) };
  const generator = forkGenerator(ROOT, { scenario: "storm", target, config }, (line) =>
    log(`  ${line}`),
  );
  return (await generator.next("result")).result as StormResult;
}

/**
 * Seats and connects the idle clients from several generator processes (one source address each),
 * measuring the server's memory before and after the sockets only. The server is stopped before
 * the clients let go, so the closing side, and its TIME_WAIT sockets, are the server's.
 */
async function runIdle(target: RunningTarget): Promise<IdleResult> {
  const capacity = openFileLimit(target.pid) - openFiles(target.pid) - FD_MARGIN;
  const wanted = Math.min(idleConnections, capacity);
  const rooms = Math.floor(wanted / ROOM_SIZE);
  const limitedBy =
    wanted < idleConnections
      ? `the server may open ${openFileLimit(target.pid).toLocaleString("en-US")} files (hard limit, not raisable here), so ${(rooms * ROOM_SIZE).toLocaleString("en-US")} were attempted`
      : undefined;
  const shardCount = Math.ceil((rooms * ROOM_SIZE) / SHARD_SIZE);
  const roomsPerShard = Math.ceil(rooms / shardCount);
  const addressBase = target.kind === "ours" ? 2 : 2 + shardCount;
  const shards: GeneratorHandle[] = [];
  for (let shard = 0; shard < shardCount; shard++) {
    const firstRoom = shard * roomsPerShard;
    shards.push(
      forkGenerator(
        ROOT,
        {
          scenario: "idle",
          target,
          config: {
            firstRoom,
            rooms: Math.min(roomsPerShard, rooms - firstRoom),
            roomSize: ROOM_SIZE,
            localAddress: `127.0.0.${addressBase + shard}`,
            concurrency: 64,
          },
        },
        (line) => log(`  ${line}`),
      ),
    );
  }
  try {
    const fdsAtStart = openFiles(target.pid);
    const seatStart = performance.now();
    await Promise.all(shards.map((shard) => shard.next("seated")));
    const seatSeconds = (performance.now() - seatStart) / 1000;
    log(`  seated ${rooms * ROOM_SIZE} in ${seatSeconds.toFixed(1)} s`);
    // Let the log-ins' keep-alive connections close: they would count as held connections.
    await waitFor(() => openFiles(target.pid) <= fdsAtStart + 4, 15_000, 250);

    const before = await settledMemory(target.probePort);
    const serverCpu = cpuMeter(target.pid);
    const connectStart = performance.now();
    for (const shard of shards) shard.send({ type: "connect" });
    const connected = await Promise.all(shards.map((shard) => shard.next("connected")));
    const connectSeconds = (performance.now() - connectStart) / 1000;
    const serverCpuPercent = serverCpu();
    // Holding long enough to include one presence sweep, which touches every connected member.
    await readProbe(target.probePort, { reset: true });
    const holdCpu = cpuMeter(target.pid);
    await sleep(HOLD_SECONDS * 1000);
    const holding = await readProbe(target.probePort);
    const holdCpuPercent = holdCpu();
    const after = await settledMemory(target.probePort);
    const held = connected.reduce((sum, shard) => sum + shard.connected, 0);
    const failed = connected.reduce((sum, shard) => sum + shard.failed, 0);
    log(`  connected ${held} (${failed} failed) in ${connectSeconds.toFixed(1)} s`);
    const perConnectionKb = (bytesBefore: number, bytesAfter: number) =>
      held > 0 ? (bytesAfter - bytesBefore) / held / 1024 : 0;
    await target.stop();
    return {
      requested: idleConnections,
      target: rooms * ROOM_SIZE,
      limitedBy,
      connected: held,
      failed,
      firstError: connected.find((shard) => shard.firstError)?.firstError,
      seatSeconds,
      connectSeconds,
      rssBeforeMb: before.rssBytes / 2 ** 20,
      rssAfterMb: after.rssBytes / 2 ** 20,
      rssPerConnectionKb: perConnectionKb(before.rssBytes, after.rssBytes),
      heapPerConnectionKb: perConnectionKb(before.heapUsedBytes, after.heapUsedBytes),
      serverCpuPercent,
      holdCpuPercent,
      holdEventLoopMaxMs: holding.eventLoopDelay.maxMs,
    };
  } finally {
    for (const shard of shards) shard.send({ type: "close" });
    await sleep(500);
    for (const shard of shards) shard.kill();
  }
}

/** Collects garbage until RSS stops moving: V8 hands freed pages back to the OS with a delay. */
async function settledMemory(probePort: number): Promise<ProbeReading> {
  let reading = await readProbe(probePort, { gc: true });
  for (let attempt = 0; attempt < 8; attempt++) {
    await sleep(750);
    const next = await readProbe(probePort, { gc: true });
    const settled = Math.abs(next.rssBytes - reading.rssBytes) < 2 ** 20;
    reading = next;
    if (settled) break;
  }
  return reading;
}

function machine(): BenchResults["machine"] {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown CPU",
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.versions.node,
    loadAverage: os.loadavg(),
  };
}

async function main(): Promise<void> {
  const started = new Date();
  const partial: Omit<BenchResults, "budgets"> = {
    startedAt: started.toISOString(),
    durationSeconds: 0,
    machine: machine(),
    settings: {
      fanout: fanoutConfig,
      cluster: clusterConfig,
      idleConnections,
      storm: stormConfig,
      lecture: lectureConfig,
      quick,
    },
    fanout: {},
    cluster: {},
    lecture: {},
    idle: {},
    storm: {},
    profiles: {},
    errors: [],
  };
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    partial.durationSeconds = (Date.now() - started.getTime()) / 1000;
    const results: BenchResults = { ...partial, budgets: evaluateBudgets(partial) };
    const markdown = renderMarkdown(results);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(path.join(RESULTS_DIR, "latest.json"), JSON.stringify(results, null, 2) + "\n");
    writeFileSync(path.join(RESULTS_DIR, "latest.md"), markdown);
    writeFileSync(
      path.join(RESULTS_DIR, "fanout-latency.svg"),
      renderChart(
        results.fanout,
        `Fan-out latency vs throughput: ${results.machine.cores} × ${results.machine.cpu}`,
      ),
    );
    console.log(`\n${markdown}`);
    log(
      `results in ${path.relative(ROOT, RESULTS_DIR)}/ (latest.json, latest.md, fanout-latency.svg) after ${partial.durationSeconds.toFixed(0)} s`,
    );
  };

  const summarise = (label: string) => {
    const file = profileFile(label);
    if (file && existsSync(file)) partial.profiles[label] = summariseProfile(file, ROOT);
  };

  const deadline = setTimeout(
    () => {
      partial.errors.push(
        `Stopped at the ${flags["max-minutes"]}-minute limit; later scenarios are missing.`,
      );
      killAllGenerators();
      Promise.all([...runningTargets].map((target) => target.stop())).finally(() => {
        finish();
        process.exit(1);
      });
    },
    Number(flags["max-minutes"]) * 60_000,
  );

  if (!flags["no-build"]) await build();
  const record = async (scenario: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      const message = errorText(error);
      partial.errors.push(`${scenario}: ${message}`);
      log(`${scenario} failed: ${message}`);
    }
  };

  if (scenarios.has("fanout")) {
    log(`fan-out against ${targets.join(" and ")}, taking turns…`);
    await record("fan-out", async () => {
      partial.fanout = await runFanouts(targets, fanoutConfig, {
        label: "fanout",
        start: (kind, label) => startTarget(kind, targetOptions(label)),
        async onStarted(target) {
          if (target.kind === "ours")
            partial.pageWeight = await roomPageWeight(target.url, path.join(ROOT, DIST_DIR));
        },
      });
    });
    for (const kind of targets) summarise(`fanout-${kind}`);
  }
  if (scenarios.has("cluster")) {
    const { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl } = process.env;
    if (databaseUrl && redisUrl) {
      log(`two-node fan-out (PostgreSQL + Redis Streams) against ${targets.join(" and ")}…`);
      await record("two-node fan-out", async () => {
        partial.cluster = await runFanouts(targets, clusterConfig, {
          label: "cluster",
          start: (kind, label) =>
            startCluster(kind, targetOptions(label), { databaseUrl, redisUrl, nodes: 2 }),
        });
      });
      for (const kind of targets) summarise(`cluster-${kind}`);
    } else log("two-node fan-out skipped: it needs DATABASE_URL and REDIS_URL");
  }
  const storms = [
    ["storm", stormConfig, "join storm", partial.storm],
    ["lecture", lectureConfig, "lecture hall", partial.lecture],
  ] as const;
  for (const [label, config, title, results] of storms) {
    for (const kind of targets) {
      if (!scenarios.has("storm")) break;
      log(`${title} (${config.joiners} over ${config.windowSeconds} s) against ${kind}…`);
      await record(`${title} (${kind})`, () =>
        withTarget(kind, label, async (target) => {
          results[kind] = await stormInGenerator(target, config, label);
        }),
      );
      summarise(`${label}-${kind}`);
    }
  }

  for (const kind of targets) {
    if (!scenarios.has("idle")) break;
    log(`idle capacity against ${kind}…`);
    await record(`idle (${kind})`, () =>
      withTarget(kind, "idle", async (target) => {
        partial.idle[kind] = await runIdle(target);
      }),
    );
  }
  clearTimeout(deadline);
  finish();
  if (partial.errors.length === 0 && !flags.profile)
    rmSync(workDir, { recursive: true, force: true });
  else log(`server logs${flags.profile ? " and CPU profiles" : ""} kept in ${workDir}`);
  process.exit(partial.errors.length === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  killAllGenerators();
  void Promise.all([...runningTargets].map((target) => target.stop())).finally(() =>
    process.exit(1),
  );
});
