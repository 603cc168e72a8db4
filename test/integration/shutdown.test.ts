// SIGTERM: stop accepting, let clients reconnect elsewhere, finish writes, close the store, exit.
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openSqliteStore } from "@/lib/server/store/sqlite";
import { createRoom } from "@/lib/server/rooms";
import { startNode } from "../support/cluster";
import {
  TEST_SECRET,
  connectSocket,
  connected,
  eventually,
  sessionCookie,
  tempDataDir,
  texts,
} from "../support/server";

let data: ReturnType<typeof tempDataDir>;
beforeAll(() => {
  data = tempDataDir();
});
afterAll(() => data.remove());

it("a stopping server finishes its writes, exits promptly, and its clients come back to the next one", async () => {
  const env = { DATA_DIR: data.dir, MESSAGE_RATE_PER_SECOND: "1000", MESSAGE_BURST: "1000" };
  const databasePath = path.join(data.dir, "roomcode.db");
  const setup = openSqliteStore(databasePath);
  const roomCode = await createRoom(setup);
  await setup.addMember(roomCode, { userId: "u-stay", name: "Stay" }, Date.now());
  await setup.close();

  const node = await startNode(env);
  const socket = connectSocket(node.url, {
    cookie: await sessionCookie(
      { sessionSecrets: [TEST_SECRET], sessionMaxAgeSeconds: 3600 },
      { userId: "u-stay", name: "Stay", rooms: [roomCode] },
    ),
  });
  await connected(socket);
  let disconnects = 0;
  socket.on("disconnect", () => disconnects++);

  // A burst still in flight when the signal arrives: every acknowledged message must be stored.
  const acks = Array.from({ length: 100 }, (_, i) =>
    socket
      .timeout(3000)
      .emitWithAck("message:send", {
        clientId: `burst-${String(i).padStart(4, "0")}`,
        body: `burst ${i}`,
      })
      .catch(() => null),
  );
  // The signal comes once the first message is answered, with the rest of the burst under way.
  await acks[0];
  const stopping = performance.now();
  await node.stop();
  const stopMs = performance.now() - stopping;
  expect(node.process.exitCode).toBe(0);
  expect(stopMs).toBeLessThan(5000);
  const acknowledged = (await Promise.all(acks)).flatMap((ack) =>
    ack?.ok ? [ack.message.body] : [],
  );

  const check = openSqliteStore(databasePath);
  const stored = texts(await check.messagesAfter(roomCode, 0, 1000));
  await check.close();
  // Some of the burst must have been answered, or the loop below checks nothing.
  expect(acknowledged.length).toBeGreaterThan(0);
  for (const body of acknowledged) expect(stored).toContain(body);

  // The client was told to reconnect (not disconnected for good) and finds the next server.
  await eventually(() => disconnects === 1, "client saw the server go");
  expect(socket.active).toBe(true);
  const next = await startNode(env, node.port);
  await eventually(() => socket.connected, "client reconnected to the new server", 15_000);
  socket.close();
  await next.stop();
  console.log(
    `graceful stop took ${Math.round(stopMs)} ms with ${acknowledged.length} of 100 burst messages acknowledged, all stored`,
  );
});
