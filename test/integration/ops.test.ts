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
    expect((await fetch(`${t.server.url}/metrics`)).status).toBe(403);
    // The server is shared by this file's tests: compare with what it counted before this one.
    const before = await metrics();
    const roomCode = await newRoom(t.server);
    const person = await joinAs(t.server, roomCode, "Metered", t.config);
    const socket = connectSocket(t.server.url, { cookie: person.cookie });
    await connected(socket);
    await socket
      .timeout(2000)
      .emitWithAck("message:send", { clientId: "metered-0001", body: "count me" });

    const after = await metrics();
    const grew = (name: string) => value(after, name) - value(before, name);
    expect(grew("roomcode_connected_sockets")).toBe(1);
    expect(grew("roomcode_messages_stored_total")).toBe(1);
    expect(grew("roomcode_messages_delivered_total")).toBe(1);
    expect(grew("roomcode_message_ack_seconds_count")).toBe(1);
    expect(after).toMatch(/nodejs_eventloop_lag_p99_seconds/);
    socket.close();
  });
});

async function metrics(): Promise<string> {
  const response = await fetch(`${t.server.url}/metrics`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(response.status).toBe(200);
  return response.text();
}

/** One unlabelled sample of a Prometheus text exposition. */
function value(exposition: string, name: string): number {
  const sample = new RegExp(`^${name} (\\S+)$`, "m").exec(exposition)?.[1];
  expect(sample, name).toBeDefined();
  return Number(sample);
}
