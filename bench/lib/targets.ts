// Starting and stopping the servers under test: the app in production mode, and the baseline.
// Both run under plain `node` (not the tsx CLI, which would put a parent process in between),
// so the PID is the server's own, with the probe preloaded.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import { createClient } from "redis";
import { sleep } from "./concurrency";
import type { TargetInfo, TargetKind } from "./protocol";

export interface RunningTarget extends TargetInfo {
  logFile: string;
  stop(): Promise<void>;
}

export interface TargetOptions {
  root: string;
  distDir: string;
  workDir: string;
  /** Names the log and data files. */
  label: string;
  /** Settings on top of the bench's own (a node of several). */
  env?: Record<string, string>;
}

const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;

/** A free loopback port at or after `from`, within the range the bench keeps to. */
export async function freePort(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`No free port in ${from}–${to}`);
}

let nextPort = 3500;
async function takePort(): Promise<number> {
  const port = await freePort(nextPort, 3599).catch(() => freePort(3500, 3599));
  nextPort = port + 1 > 3599 ? 3500 : port + 1;
  return port;
}

export async function startTarget(
  kind: TargetKind,
  options: TargetOptions,
): Promise<RunningTarget> {
  const port = await takePort();
  const probePort = await takePort();
  const url = `http://127.0.0.1:${port}`;
  const node = ["--expose-gc", "--import", "tsx", "--import", "./bench/probe.ts"];
  const common = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    BENCH_PROBE_PORT: String(probePort),
  };
  const env: NodeJS.ProcessEnv =
    kind === "baseline"
      ? { ...common, NODE_ENV: "production" }
      : {
          ...common,
          NODE_ENV: "production",
          NEXT_DIST_DIR: options.distDir,
          DATA_DIR: path.join(options.workDir, `${options.label}-data`),
          DATABASE_PATH: "",
          DATABASE_URL: "",
          SESSION_SECRET: randomBytes(32).toString("base64url"),
          // The bench's users all come from this machine and send faster than a person would:
          // the per-address and per-sender limits are opened up, everything else is as shipped.
          JOIN_ATTEMPTS_PER_HOUR: "100000000",
          JOINS_PER_HOUR: "100000000",
          ROOM_PAGES_PER_HOUR: "100000000",
          CONNECTIONS_PER_IP: "100000000",
          MESSAGE_RATE_PER_SECOND: "100000",
          MESSAGE_BURST: "100000",
          MESSAGE_RATE_PER_ADDRESS: "100000000",
          MESSAGE_BURST_PER_ADDRESS: "100000000",
        };
  Object.assign(env, options.env);
  const script = kind === "baseline" ? "bench/baseline-server.ts" : "server.ts";
  const logFile = path.join(options.workDir, `${options.label}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [...node, script], {
    cwd: options.root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const readyUrl = kind === "baseline" ? `${url}/socket.io/?EIO=4&transport=polling` : `${url}/`;
  await waitUntilReady(child, readyUrl, logFile);
  return {
    kind,
    url,
    pid: child.pid ?? 0,
    probePort,
    logFile,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const stopped = await Promise.race([
        exited.then(() => true),
        sleep(STOP_TIMEOUT_MS).then(() => false),
      ]);
      if (!stopped) {
        child.kill("SIGKILL");
        await exited;
      }
    },
  };
}

async function waitUntilReady(child: ChildProcess, url: string, logFile: string): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited at start-up; see ${logFile}`);
    const status = await fetch(url).then(
      (response) => response.body?.cancel().then(() => response.status) ?? response.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(200);
  }
  child.kill("SIGKILL");
  throw new Error(`The server was not ready within ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`);
}

export interface ClusterSettings {
  databaseUrl: string;
  redisUrl: string;
  nodes: number;
}

/**
 * Several nodes of one deployment: ours share a fresh PostgreSQL schema, a Redis key prefix and
 * the session secret; the baseline's share the Redis Streams adapter. The first node is the
 * target, the others its peers; stopping it stops them all and removes the schema and keys.
 */
export async function startCluster(
  kind: TargetKind,
  options: TargetOptions,
  cluster: ClusterSettings,
): Promise<RunningTarget> {
  const id = randomBytes(4).toString("hex");
  const schema = `bench_${id}`;
  const prefix = `bench:${id}:`;
  const shared: Record<string, string> =
    kind === "baseline"
      ? { REDIS_URL: cluster.redisUrl, REDIS_PREFIX: prefix, BASELINE_NODES: String(cluster.nodes) }
      : {
          DATABASE_URL: cluster.databaseUrl,
          DATABASE_SCHEMA: schema,
          REDIS_URL: cluster.redisUrl,
          REDIS_PREFIX: prefix,
          SESSION_SECRET: randomBytes(32).toString("base64url"),
        };
  const nodes: RunningTarget[] = [];
  const stopAll = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await removeClusterData(cluster, kind === "baseline" ? undefined : schema, prefix);
  };
  try {
    // One after the other: the first creates the schema.
    for (let index = 0; index < cluster.nodes; index++)
      nodes.push(
        await startTarget(kind, {
          ...options,
          label: `${options.label}-node${index}`,
          env: { ...shared, ...options.env, BASELINE_NODE: String(index) },
        }),
      );
  } catch (error) {
    await stopAll();
    throw error;
  }
  const [first, ...rest] = nodes as [RunningTarget, ...RunningTarget[]];
  return {
    ...first,
    peers: rest.map(({ kind: nodeKind, url, pid, probePort }) => ({
      kind: nodeKind,
      url,
      pid,
      probePort,
    })),
    stop: stopAll,
  };
}

async function removeClusterData(
  cluster: ClusterSettings,
  schema: string | undefined,
  prefix: string,
): Promise<void> {
  if (schema) {
    const client = new pg.Client({ connectionString: cluster.databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
  const redis = createClient({ url: cluster.redisUrl });
  await redis.connect();
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 }))
    if (keys.length > 0) await redis.del(keys);
  await redis.quit();
}
