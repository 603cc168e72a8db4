// The bench's outputs: the table on stdout (also as Markdown for the README), the budgets, and
// the chart of latency percentiles against delivered messages per second.
import type { PageWeight } from "./page-weight";
import type { ProfileShare } from "./profile-summary";
import type { FanoutResult, FanoutStep, StormResult, TargetKind } from "./protocol";

export interface IdleResult {
  requested: number;
  target: number;
  /** Why fewer than requested were attempted, if they were. */
  limitedBy?: string;
  connected: number;
  failed: number;
  firstError?: string;
  seatSeconds: number;
  connectSeconds: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssPerConnectionKb: number;
  heapPerConnectionKb: number;
  /** Server CPU while connecting. */
  serverCpuPercent: number;
  /** While holding the connections idle, including one presence sweep. */
  holdCpuPercent: number;
  holdEventLoopMaxMs: number;
}

export type PerTarget<T> = Partial<Record<TargetKind, T>>;

export interface BenchResults {
  startedAt: string;
  durationSeconds: number;
  machine: {
    cpu: string;
    cores: number;
    memoryGb: number;
    os: string;
    node: string;
    loadAverage: number[];
  };
  settings: Record<string, unknown>;
  pageWeight?: PageWeight;
  fanout: PerTarget<FanoutResult>;
  /** The fan-out on two nodes sharing PostgreSQL and Redis. */
  cluster: PerTarget<FanoutResult>;
  idle: PerTarget<IdleResult>;
  storm: PerTarget<StormResult>;
  /** The smaller, slower storm: a lecture hall. */
  lecture: PerTarget<StormResult>;
  /** Self-time shares of the servers' CPU profiles, when taken (`--profile`). */
  profiles: Record<string, ProfileShare[]>;
  budgets: Budget[];
  errors: string[];
}

export interface Budget {
  name: string;
  limit: string;
  measured: string;
  holds: boolean | null;
}

const P99_LIMIT_MS = 50;
/** Messages per second per member of the step compared for CPU (40,000 deliveries/s). */
const CPU_COMPARISON_RATE = 2;

/** The highest-throughput step that kept p99 within the limit with nothing lost or doubled. */
export function bestStep(result: FanoutResult | undefined): FanoutStep | undefined {
  return result?.steps
    .filter(
      (step) => step.latency.p99Ms <= P99_LIMIT_MS && step.lost === 0 && step.duplicated === 0,
    )
    .reduce<FanoutStep | undefined>(
      (best, step) => (!best || step.deliveriesPerSecond > best.deliveriesPerSecond ? step : best),
      undefined,
    );
}

export function evaluateBudgets(results: Omit<BenchResults, "budgets">): Budget[] {
  const budgets: Budget[] = [];
  const ours = bestStep(results.fanout.ours);
  const base = bestStep(results.fanout.baseline);
  const oursRate = ours?.deliveriesPerSecond ?? 0;
  const baseRate = base?.deliveriesPerSecond;
  if (results.fanout.ours) {
    budgets.push({
      name: "Fan-out: top rate at p99 ≤ 50 ms vs baseline",
      limit: "≥ 0.8 × baseline",
      measured: baseRate
        ? `${(oursRate / baseRate).toFixed(2)} × (${thousands(oursRate)} / ${thousands(baseRate)})`
        : `${thousands(oursRate)} (no baseline)`,
      holds: baseRate ? oursRate >= 0.8 * baseRate : null,
    });
    const atStep = (result: FanoutResult | undefined) =>
      result?.steps.find((step) => step.ratePerMember === CPU_COMPARISON_RATE);
    const [oursCpu, baseCpu] = [atStep(results.fanout.ours), atStep(results.fanout.baseline)];
    budgets.push({
      name: "Server CPU per delivery at 40,000/s vs baseline",
      limit: "≤ 1.3 × baseline",
      measured:
        oursCpu && baseCpu
          ? `${(oursCpu.serverCpuMicrosPerDelivery / baseCpu.serverCpuMicrosPerDelivery).toFixed(2)} × (${oursCpu.serverCpuMicrosPerDelivery.toFixed(1)} / ${baseCpu.serverCpuMicrosPerDelivery.toFixed(1)} µs)`
          : "step not run",
      holds:
        oursCpu && baseCpu
          ? oursCpu.serverCpuMicrosPerDelivery <= 1.3 * baseCpu.serverCpuMicrosPerDelivery
          : null,
    });
    const steps = results.fanout.ours.steps;
    const total = (pick: (step: FanoutStep) => number) =>
      steps.reduce((sum, step) => sum + pick(step), 0);
    const [lost, duplicated, reordered] = [
      total((s) => s.lost),
      total((s) => s.duplicated),
      total((s) => s.reordered),
    ];
    budgets.push({
      name: "Fan-out lost / duplicated / out of order (all steps)",
      limit: "0 / 0 / 0",
      measured: `${lost} / ${duplicated} / ${reordered}`,
      holds: lost === 0 && duplicated === 0 && reordered === 0,
    });
    budgets.push({
      name: "Event-loop delay p99 in the top passing step",
      limit: "≤ 20 ms",
      measured: ours
        ? `${ms(ours.eventLoopP99Ms)} at ${thousands(ours.deliveriesPerSecond)}/s`
        : "no passing step",
      holds: ours ? ours.eventLoopP99Ms <= 20 : false,
    });
  }
  const cluster = bestStep(results.cluster.ours);
  if (results.cluster.ours) {
    // Members alternate between the nodes, so half of every message's deliveries cross over.
    const crossNode = (cluster?.deliveriesPerSecond ?? 0) / 2;
    budgets.push({
      name: "Two nodes: cross-node deliveries/s at p99 ≤ 50 ms",
      limit: "≥ 20,000",
      measured: `${thousands(crossNode)} (of ${thousands(cluster?.deliveriesPerSecond ?? 0)})`,
      holds: crossNode >= 20_000,
    });
  }
  const storm = results.storm.ours;
  if (storm) {
    budgets.push({
      name: `Join storm (${storm.joiners} in 5 s): all ready, no failures`,
      limit: "≤ 10 s, 0 failed",
      measured: `${storm.allReadySeconds === null ? "never" : `${storm.allReadySeconds.toFixed(1)} s`}, ${storm.failed} failed`,
      holds: storm.allReadySeconds !== null && storm.allReadySeconds <= 10 && storm.failed === 0,
    });
    budgets.push({
      name: "Join storm: joiner p50 / p99",
      limit: "≤ 1 s / ≤ 5 s",
      measured: `${ms(storm.perJoiner.p50Ms)} / ${ms(storm.perJoiner.p99Ms)} ms`,
      holds: storm.perJoiner.p50Ms <= 1000 && storm.perJoiner.p99Ms <= 5000,
    });
    budgets.push({
      name: "Join storm: busy room p99, lost",
      limit: "≤ 100 ms, 0",
      measured: `${ms(storm.busyRoom.p99Ms)} ms, ${storm.busyRoom.lost}`,
      holds: storm.busyRoom.p99Ms <= 100 && storm.busyRoom.lost === 0,
    });
  }
  const lecture = results.lecture.ours;
  if (lecture) {
    budgets.push({
      name: `Lecture hall (${lecture.joiners} in 10 s): joiner p99`,
      limit: "≤ 1 s",
      measured: `${ms(lecture.perJoiner.p99Ms)} ms${lecture.failed ? `, ${lecture.failed} failed` : ""}`,
      holds: lecture.perJoiner.p99Ms <= 1000 && lecture.failed === 0,
    });
  }
  const idle = results.idle.ours;
  if (idle) {
    budgets.push({
      name: "Authenticated connections held",
      limit: `≥ ${thousands(idle.requested)}`,
      measured: `${thousands(idle.connected)}${idle.limitedBy ? ` (${idle.limitedBy})` : ""}`,
      holds: idle.connected >= idle.requested,
    });
    budgets.push({
      name: "RSS growth per connection",
      limit: "≤ 16 KB",
      measured: `${idle.rssPerConnectionKb.toFixed(1)} KB`,
      holds: idle.rssPerConnectionKb <= 16,
    });
  }
  if (results.pageWeight) {
    budgets.push({
      name: "Room page first-load JS (gzip)",
      limit: "≤ 150 KB",
      measured: `${kb(results.pageWeight.gzipBytes)} KB`,
      holds: results.pageWeight.gzipBytes <= 150 * 1024,
    });
  }
  return budgets;
}

const thousands = (value: number) => Math.round(value).toLocaleString("en-US");
const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const pair = (ours: string | undefined, base: string | undefined) =>
  `${ours ?? "–"} / ${base ?? "–"}`;

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
}

/** The whole report as Markdown: it reads well on a terminal too. */
export function renderMarkdown(results: BenchResults): string {
  const lines: string[] = [];
  const { machine } = results;
  lines.push(
    `Measured ${results.startedAt.slice(0, 16).replace("T", " ")} UTC on ${machine.cores} × ${machine.cpu}, ` +
      `${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}; load generator on the same machine ` +
      `(load average at start ${machine.loadAverage.map((value) => value.toFixed(2)).join(", ")}). ` +
      `Every cell is ours / baseline (bare Socket.IO).`,
    "",
  );

  lines.push(
    ...fanoutSection(
      results.fanout,
      (clients) => `Fan-out: ${clients} clients in rooms of 20, each sending at a fixed rate`,
    ),
    ...fanoutSection(
      results.cluster,
      (clients) =>
        `Two nodes (PostgreSQL + Redis Streams adapter): ${clients} clients in rooms of 20, each room split between the nodes`,
    ),
  );

  const idle = results.idle;
  if (idle.ours || idle.baseline) {
    const cell = (pick: (result: IdleResult) => string) =>
      pair(mapIdle(idle.ours, pick), mapIdle(idle.baseline, pick));
    lines.push(`### Idle capacity: authenticated, joined clients in rooms of 20`, "");
    lines.push(
      ...table(
        [
          "connections held",
          "RSS per connection",
          "heap per connection",
          "RSS before → after",
          "connects/s",
          "log-ins/s",
          "idle CPU %",
          "idle loop max ms",
        ],
        [
          [
            cell((r) => thousands(r.connected)),
            cell((r) => `${r.rssPerConnectionKb.toFixed(1)} KB`),
            cell((r) => `${r.heapPerConnectionKb.toFixed(1)} KB`),
            cell((r) => `${r.rssBeforeMb.toFixed(0)} → ${r.rssAfterMb.toFixed(0)} MB`),
            cell((r) => thousands(r.connected / r.connectSeconds)),
            pair(
              idle.ours ? thousands(idle.ours.target / idle.ours.seatSeconds) : undefined,
              idle.baseline ? "none" : undefined,
            ),
            cell((r) => r.holdCpuPercent.toFixed(1)),
            cell((r) => ms(r.holdEventLoopMaxMs)),
          ],
        ],
      ),
      "",
    );
    const limited = idle.ours?.limitedBy ?? idle.baseline?.limitedBy;
    if (limited)
      lines.push(
        `Asked for ${thousands(idle.ours?.requested ?? idle.baseline?.requested ?? 0)}; ${limited}.`,
        "",
      );
  }

  lines.push(
    ...stormSection(
      results.storm,
      (r) => `Join storm: ${r.joiners} people join one busy room within 5 s`,
    ),
    ...stormSection(
      results.lecture,
      (r) => `Lecture hall: ${r.joiners} people join one busy room within 10 s`,
    ),
  );

  if (results.pageWeight) {
    lines.push(
      `### Page weight`,
      "",
      `Room page first-load JS: ${kb(results.pageWeight.gzipBytes)} KB gzip (${kb(results.pageWeight.rawBytes)} KB raw) in ${results.pageWeight.chunks.length} scripts.`,
      "",
    );
  }

  for (const [label, shares] of Object.entries(results.profiles)) {
    lines.push(
      `### Where the server's CPU went: ${label}`,
      "",
      ...table(
        ["self time in", "%"],
        shares.map((share) => [share.where, share.percent.toFixed(1)]),
      ),
      "",
    );
  }

  lines.push(
    `### Budgets`,
    "",
    ...table(
      ["budget", "limit", "measured", "holds"],
      results.budgets.map((b) => [
        b.name,
        b.limit,
        b.measured,
        b.holds === null ? "n/a" : b.holds ? "yes" : "**no**",
      ]),
    ),
  );
  if (results.errors.length > 0)
    lines.push("", "Errors:", ...results.errors.map((error) => `- ${error}`));
  return lines.join("\n") + "\n";
}

const optional = (value: number | undefined) =>
  value === undefined ? undefined : thousands(value);
const mapStep = (step: FanoutStep | undefined, pick: (step: FanoutStep) => string) =>
  step ? pick(step) : undefined;
const mapIdle = (result: IdleResult | undefined, pick: (result: IdleResult) => string) =>
  result ? pick(result) : undefined;
const mapStorm = (result: StormResult | undefined, pick: (result: StormResult) => string) =>
  result ? pick(result) : undefined;

function fanoutSection(
  results: PerTarget<FanoutResult>,
  title: (clients: number) => string,
): string[] {
  const { ours, baseline } = results;
  const lines: string[] = [];
  if (ours || baseline) {
    lines.push(`### ${title(ours?.clients ?? baseline?.clients ?? 0)}`, "");
    const rates = [
      ...new Set([...(ours?.steps ?? []), ...(baseline?.steps ?? [])].map((s) => s.ratePerMember)),
    ].sort((a, b) => a - b);
    const find = (result: FanoutResult | undefined, rate: number) =>
      result?.steps.find((s) => s.ratePerMember === rate);
    const cell = (rate: number, pick: (step: FanoutStep) => string) =>
      pair(mapStep(find(ours, rate), pick), mapStep(find(baseline, rate), pick));
    lines.push(
      ...table(
        [
          "msg/s per member",
          "deliveries/s",
          "p50 ms",
          "p95 ms",
          "p99 ms",
          "max ms",
          "lost",
          "dup",
          "out of order",
          "server CPU %",
          "CPU µs per delivery",
          "bytes per delivery",
          "loop p99 ms",
          "generator CPU %",
        ],
        rates.map((rate) => [
          String(rate),
          cell(rate, (s) => thousands(s.deliveriesPerSecond)),
          cell(rate, (s) => ms(s.latency.p50Ms)),
          cell(rate, (s) => ms(s.latency.p95Ms)),
          cell(rate, (s) => ms(s.latency.p99Ms)),
          cell(rate, (s) => ms(s.latency.maxMs)),
          cell(rate, (s) => String(s.lost)),
          cell(rate, (s) => String(s.duplicated)),
          cell(rate, (s) => String(s.reordered)),
          cell(rate, (s) => s.serverCpuPercent.toFixed(0)),
          cell(rate, (s) => s.serverCpuMicrosPerDelivery.toFixed(1)),
          cell(rate, (s) => String(s.bytesPerDelivery)),
          cell(rate, (s) => ms(s.eventLoopP99Ms)),
          cell(rate, (s) => s.generatorCpuPercent.toFixed(0)),
        ]),
      ),
      "",
      `Best within p99 ≤ 50 ms: ${pair(optional(bestStep(ours)?.deliveriesPerSecond), optional(bestStep(baseline)?.deliveriesPerSecond))} deliveries/s. ` +
        `Stopped: ${pair(ours?.stoppedBecause, baseline?.stoppedBecause)}. ` +
        `Log-in of all clients: ${pair(ours ? `${ours.seatSeconds.toFixed(1)} s` : undefined, baseline ? "none" : undefined)}.`,
      "",
    );
  }
  return lines;
}

function stormSection(
  storm: PerTarget<StormResult>,
  title: (result: StormResult) => string,
): string[] {
  const lines: string[] = [];
  if (storm.ours || storm.baseline) {
    const cell = (pick: (result: StormResult) => string) =>
      pair(mapStorm(storm.ours, pick), mapStorm(storm.baseline, pick));
    const sample = (storm.ours ?? storm.baseline) as StormResult;
    lines.push(
      `### ${title(sample)}`,
      "",
      ...table(
        [
          "all ready after",
          "joined",
          "joiner p50 ms",
          "joiner p99 ms",
          "room page p50 ms",
          "busy room p99 ms",
          "busy room lost",
          "dup",
          "out of order",
          "sockets dropped",
          "server CPU %",
          "generator CPU %",
          "loop p99 ms",
          "loop max ms",
          "presence lists received",
        ],
        [
          [
            cell((r) =>
              r.allReadySeconds === null ? "never" : `${r.allReadySeconds.toFixed(1)} s`,
            ),
            cell((r) => `${r.joined}`),
            cell((r) => ms(r.perJoiner.p50Ms)),
            cell((r) => ms(r.perJoiner.p99Ms)),
            cell((r) => (r.pageLoad ? ms(r.pageLoad.p50Ms) : "none")),
            cell((r) => ms(r.busyRoom.p99Ms)),
            cell((r) => String(r.busyRoom.lost)),
            cell((r) => String(r.busyRoom.duplicated)),
            cell((r) => String(r.busyRoom.reordered)),
            cell((r) => String(r.dropped)),
            cell((r) => r.serverCpuPercent.toFixed(0)),
            cell((r) => r.generatorCpuPercent.toFixed(0)),
            cell((r) => ms(r.eventLoopP99Ms)),
            cell((r) => ms(r.eventLoopMaxMs)),
            cell((r) => `${thousands(r.presenceEvents)} (${r.presenceMegabytes.toFixed(0)} MB)`),
          ],
        ],
      ),
      "",
    );
  }
  return lines;
}
