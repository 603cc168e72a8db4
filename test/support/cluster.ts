// Several real server processes sharing PostgreSQL and Redis, and a TCP load balancer in front.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createClient } from "redis";
import { TEST_SECRET } from "./server";

export const DATABASE_URL = process.env.DATABASE_URL;
export const REDIS_URL = process.env.REDIS_URL;

/** A schema and key prefix of its own for one test, and the clean-up that removes both. */
export function isolatedCluster(): { env: Record<string, string>; cleanUp(): Promise<void> } {
  const id = randomBytes(4).toString("hex");
  const schema = `cluster_${id}`;
  const prefix = `test:${id}:`;
  return {
    env: {
      DATABASE_URL: DATABASE_URL!,
      DATABASE_SCHEMA: schema,
      REDIS_URL: REDIS_URL!,
      REDIS_PREFIX: prefix,
    },
    async cleanUp() {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
      const redis = createClient({ url: REDIS_URL });
      await redis.connect();
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
        if (keys.length > 0) await redis.del(keys);
      }
      await redis.quit();
    },
  };
}

export interface ClusterNode {
  port: number;
  url: string;
  process: ChildProcess;
  /** SIGKILL: the node dies mid-flight, as a crashed machine would. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function startNode(env: Record<string, string>, port = 0): Promise<ClusterNode> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("cluster-node.ts", import.meta.url))],
    {
      // Only what a node needs: a DATABASE_URL or LOG_LEVEL exported in the shell running the
      // tests must not turn a SQLite test into a PostgreSQL one.
      env: {
        PATH: process.env.PATH,
        ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
        NODE_ENV: "test",
        SESSION_SECRET: TEST_SECRET,
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "warn",
        ...env,
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const actualPort = await new Promise<number>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /READY (\d+)/.exec(output);
      if (ready) resolve(Number(ready[1]));
    });
    child.once("exit", (code) => reject(new Error(`node exited with ${code} before it was ready`)));
  });
  return {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    process: child,
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * A TCP load balancer: each new connection goes to the next backend that accepts it, so when a
 * node dies its clients' reconnects land on the others. No stickiness: clients use WebSocket only.
 */
export async function startBalancer(
  ports: () => number[],
): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    open.add(client);
    client.on("close", () => open.delete(client));
    client.pause();
    const candidates = ports();
    const attempt = (tries: number) => {
      if (tries >= candidates.length) return client.destroy();
      const port = candidates[next++ % candidates.length]!;
      const backend = net.connect(port, "127.0.0.1");
      open.add(backend);
      backend.on("close", () => open.delete(backend));
      const refused = () => attempt(tries + 1);
      backend.once("error", refused);
      backend.once("connect", () => {
        backend.off("error", refused);
        backend.on("error", () => client.destroy());
        client.on("error", () => backend.destroy());
        client.pipe(backend).pipe(client);
        client.resume();
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        open.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
}
