// What the bench's processes tell each other: the orchestrator, the load generators and the
// probe inside each server under test.

export type TargetKind = "ours" | "baseline";

/** A running server under test, as the load generators need to know it. */
export interface TargetInfo {
  kind: TargetKind;
  /** http://127.0.0.1:PORT */
  url: string;
  pid: number;
  probePort: number;
  /** The other nodes of a deployment of several (sharing PostgreSQL and Redis); none for one. */
  peers?: TargetInfo[];
}

/** Every node of a target: the target itself, then its peers. */
export const nodesOf = (target: TargetInfo): TargetInfo[] => [target, ...(target.peers ?? [])];

export interface ProbeReading {
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  eventLoopDelay: { p50Ms: number; p99Ms: number; maxMs: number; samples: number };
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface FanoutConfig {
  rooms: number;
  roomSize: number;
  /** Messages per second each member sends, one step each, until p99 passes the limit. */
  ratesPerMember: number[];
  stepSeconds: number;
  p99LimitMs: number;
  /** No new step starts after this long. */
  maxSeconds: number;
  /** Where to save a CPU profile of the server over the measured steps, if anywhere. */
  profileFile?: string;
}

export interface FanoutStep {
  ratePerMember: number;
  offeredPerSecond: number;
  messagesPerSecond: number;
  deliveriesPerSecond: number;
  latency: LatencySummary;
  lost: number;
  duplicated: number;
  reordered: number;
  rejected: number;
  firstRejection?: string;
  serverCpuPercent: number;
  /** Server CPU time (user + system, all threads) per delivered message: steadier than a rate. */
  serverCpuMicrosPerDelivery: number;
  /** One delivery as it goes on the wire (Engine.IO and Socket.IO framing included, WebSocket header not). */
  bytesPerDelivery: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  serverRssMb: number;
  generatorCpuPercent: number;
  generatorEventLoopP99Ms: number;
}

export interface FanoutResult {
  clients: number;
  seatSeconds: number;
  connectSeconds: number;
  steps: FanoutStep[];
  stoppedBecause: string;
}

export interface StormConfig {
  busyMembers: number;
  busyRatePerMember: number;
  joiners: number;
  windowSeconds: number;
  /** Load each joiner's room page, as a browser following the redirect does. */
  fetchPage: boolean;
  timeoutSeconds: number;
  profileFile?: string;
}

export interface StormResult {
  joiners: number;
  joined: number;
  failed: number;
  firstError?: string;
  /** From the first arrival until the last joiner had its history and a presence list with itself. */
  allReadySeconds: number | null;
  perJoiner: LatencySummary;
  pageLoad?: LatencySummary;
  busyRoom: LatencySummary & { lost: number; duplicated: number; reordered: number };
  serverCpuPercent: number;
  /** The generator's own CPU: near 100 % it, not the server, sets the pace. */
  generatorCpuPercent: number;
  /** Sockets the server (or a missed ping) disconnected during the storm. */
  dropped: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** Presence lists the joiners received, and their total size on the wire. */
  presenceEvents: number;
  presenceMegabytes: number;
}

export interface IdleShardConfig {
  firstRoom: number;
  rooms: number;
  roomSize: number;
  localAddress: string;
  concurrency: number;
}

export type GeneratorTask =
  | { scenario: "fanout"; target: TargetInfo; config: FanoutConfig }
  | { scenario: "storm"; target: TargetInfo; config: StormConfig }
  | { scenario: "idle"; target: TargetInfo; config: IdleShardConfig };

/** Orchestrator → generator, after its task is under way. */
export type GeneratorCommand =
  | { type: "connect" }
  | { type: "step"; ratePerMember: number; seconds: number; id: string }
  | { type: "profile"; action: "start" | "stop" }
  | { type: "close" };

export type GeneratorMessage =
  | { type: "log"; line: string }
  | { type: "seated"; seated: number; seconds: number }
  | { type: "ready"; clients: number; seatSeconds: number; connectSeconds: number }
  | { type: "stepped"; step: FanoutStep }
  | { type: "profiled" }
  | { type: "connected"; connected: number; failed: number; seconds: number; firstError?: string }
  | { type: "result"; result: StormResult }
  | { type: "error"; error: string };
