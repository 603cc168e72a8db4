// The endpoints load balancers and monitoring use.
import { describe, expect, it } from "vitest";
import {
  connectSocket,
  connected,
  joinAs,
  newRoom,
  startTestServer,
  tempDataDir,
  testConfig,
  withTestServer,
} from "../support/server";

const TOKEN = "metrics-token-for-tests-0123";
const t = withTestServer({ METRICS_TOKEN: TOKEN }, "all");

describe("operations endpoints", () => {
  it("say the process is up and the store reachable", async () => {
    expect((await fetch(`${t.server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { store: "ok", files: "ok" } });
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
    const roomCode = await newRoom(t.server);
    const person = await joinAs(t.server, roomCode, "Metered", t.config);
    const socket = connectSocket(t.server.url, { cookie: person.cookie });
    await connected(socket);
    await socket
      .timeout(2000)
      .emitWithAck("message:send", { clientId: "metered-0001", body: "count me" });

    expect((await fetch(`${t.server.url}/metrics`)).status).toBe(403);
    const metrics = await fetch(`${t.server.url}/metrics`, {
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
