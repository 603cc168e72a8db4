// When the disk cannot take writes, people are told so, load balancers see the node unready, and
// a server that cannot open its data folder says which folder and why in one line.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "@/lib/server/app-server";
import { startServer } from "@/lib/server/app-server";
import { openSqliteStore } from "@/lib/server/store/sqlite";
import type { ChatStore } from "@/lib/server/store/types";
import { storageProblem } from "@/lib/server/store/write-health";
import {
  connectSocket,
  connected,
  joinAs,
  newRoom,
  tempDataDir,
  testConfig,
} from "../support/server";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A real SQLite store whose message writes fail with `code` while `failing.code` is set. */
function storeThatFails(file: string) {
  const failing: { code?: string } = {};
  const inner = openSqliteStore(file);
  const fail = () => {
    if (failing.code)
      throw Object.assign(new Error(`${failing.code}: write failed`), { code: failing.code });
  };
  const store: ChatStore = {
    ...inner,
    async appendMessage(message) {
      fail();
      return inner.appendMessage(message);
    },
    async appendMessages(messages) {
      fail();
      return inner.appendMessages(messages);
    },
  };
  return { store, failing };
}

describe("a disk that takes no writes", () => {
  let server: RunningServer | undefined;
  let data: ReturnType<typeof tempDataDir> | undefined;
  afterEach(async () => {
    await server?.close();
    data?.remove();
  });

  it("tells the sender why, and keeps /readyz unready until a write succeeds", async () => {
    data = tempDataDir();
    const config = testConfig(data.dir, { LOG_LEVEL: "silent" });
    const { store, failing } = storeThatFails(config.databasePath);
    server = await startServer({ config, store });
    const roomCode = await newRoom(server);
    const person = await joinAs(server, roomCode, "Writer", config);
    const socket = connectSocket(server.url, { cookie: person.cookie });
    await connected(socket);
    const send = (clientId: string) =>
      socket.timeout(2000).emitWithAck("message:send", { clientId, body: "hello" });
    const readiness = async () => {
      const response = await fetch(`${server!.url}/readyz`);
      return { status: response.status, body: (await response.json()) as unknown };
    };

    failing.code = "ENOSPC";
    expect(await send("full-00001")).toEqual({
      ok: false,
      code: "cannot-store",
      error: "The server cannot store messages right now: its disk is full.",
    });
    expect(await readiness()).toEqual({
      status: 503,
      body: { ready: false, checks: { store: "cannot write: its disk is full", files: "ok" } },
    });

    failing.code = "SQLITE_READONLY";
    expect(await send("full-00002")).toMatchObject({
      code: "cannot-store",
      error: "The server cannot store messages right now: its storage is read-only.",
    });

    failing.code = undefined;
    expect(await send("full-00003")).toMatchObject({ ok: true });
    expect((await readiness()).status).toBe(200);
    socket.close();
  });

  it("recognises full and read-only disks by their Node, SQLite and PostgreSQL codes", () => {
    const problem = (code: string) => storageProblem(Object.assign(new Error(code), { code }));
    expect(["ENOSPC", "EDQUOT", "SQLITE_FULL", "53100"].map(problem)).toEqual(
      Array(4).fill("full"),
    );
    expect(["EROFS", "SQLITE_READONLY", "SQLITE_READONLY_DBMOVED", "25006"].map(problem)).toEqual(
      Array(4).fill("read-only"),
    );
    expect(["EACCES", "SQLITE_BUSY", "SQLITE_IOERR_READ"].map(problem)).toEqual(
      Array(3).fill(undefined),
    );
    expect(storageProblem("ENOSPC")).toBeUndefined();
  });
});

describe("start-up", () => {
  it("on a data folder it cannot create prints one line naming the path and cause, and exits 1", async () => {
    const data = tempDataDir();
    const blocker = path.join(data.dir, "not-a-folder");
    writeFileSync(blocker, "");
    const dataDir = path.join(blocker, "data");
    const run = promisify(execFile)(process.execPath, ["--import", "tsx", "server.ts"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        SESSION_SECRET: "storage-test-secret-0123456789-abcdefghij",
        DATA_DIR: dataDir,
        HOST: "127.0.0.1",
        PORT: "0",
      },
      timeout: 30_000,
    });
    const failure = (await run.then(
      () => expect.unreachable("the server started"),
      (error: unknown) => error,
    )) as { code: number; stderr: string; stdout: string };
    expect(failure.code).toBe(1);
    const lines = failure.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(path.join(dataDir, "roomcode.db"));
    expect(lines[0]).toMatch(/not a directory|ENOTDIR/);
    expect(failure.stdout).toBe("");
    data.remove();
  });
});
