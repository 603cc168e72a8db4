// The endpoints load balancers and monitoring use.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "@/lib/server/app-server";
import {
  connectSocket,
  connected,
  joinAs,
  newRoom,
  startTestServer,
  tempDataDir,
  testConfig,
} from "./support/server";

let data: ReturnType<typeof tempDataDir>;
let server: RunningServer;
const TOKEN = "metrics-token-for-tests-0123";

beforeAll(async () => {
  data = tempDataDir();
  server = await startTestServer(testConfig(data.dir, { METRICS_TOKEN: TOKEN }));
});

afterAll(async () => {
  await server.close();
  data.remove();
});

describe("operations endpoints", () => {
  it("say the process is up and the store reachable", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { store: "ok" } });
  });

  it("report not ready once the store is gone", async () => {
    const data2 = tempDataDir();
    const other = await startTestServer(testConfig(data2.dir));
    await other.store.close();
    const ready = await fetch(`${other.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false });
    await other.close().catch(() => undefined);
    data2.remove();
  });

  it("serve Prometheus metrics only with the configured token", async () => {
    const config = testConfig(data.dir, { METRICS_TOKEN: TOKEN });
    const roomCode = await newRoom(server);
    const person = await joinAs(server, roomCode, "Metered", config);
    const socket = connectSocket(server.url, { cookie: person.cookie });
    await connected(socket);
    await socket
      .timeout(2000)
      .emitWithAck("message:send", { clientId: "metered-0001", body: "count me" });

    expect((await fetch(`${server.url}/metrics`)).status).toBe(403);
    const metrics = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/^roomcode_connected_sockets 1$/m);
    expect(text).toMatch(/^roomcode_messages_stored_total 1$/m);
    expect(text).toMatch(/^roomcode_messages_delivered_total 1$/m);
    expect(text).toMatch(/^roomcode_message_ack_seconds_count 1$/m);
    expect(text).toMatch(/nodejs_eventloop_lag_p99_seconds/);
    socket.close();
  });
});
