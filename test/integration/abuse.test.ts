// A hostile client: floods and opens connection after connection. Guessing at room codes goes
// through the home form's server action, so e2e/entry.spec.ts proves it on a real server.
import { describe, expect, it } from "vitest";
import { REQUEST_REFUSALS } from "@/lib/chat-events";
import type { ChatClientSocket } from "@/lib/client/room-connection";
import {
  connectSocket,
  connected,
  engineHandshake,
  eventually,
  joinAs,
  newRoom,
  texts,
  withTestServer,
  roomWithSockets,
} from "../support/server";

const t = withTestServer({
  MESSAGE_RATE_PER_SECOND: "1",
  MESSAGE_BURST: "5",
  CONNECTIONS_PER_IP: "4",
});

/** The Engine.IO handshake from our own page: the status and the refusal's text. */
const pollingHandshake = () => engineHandshake(t.server.url, t.server.url);

describe("rate limits", () => {
  it("refuses a flood with an error acknowledgement while others keep talking", async () => {
    const { roomCode, sockets } = await roomWithSockets(t, "Flooder", "Bystander");
    const [floodSocket, otherSocket] = sockets as [ChatClientSocket, ChatClientSocket];

    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        floodSocket.timeout(5000).emitWithAck("message:send", {
          clientId: `flood-${String(i).padStart(4, "0")}`,
          body: `flood ${i}`,
        }),
      ),
    );
    const accepted = results.filter((result) => result.ok).length;
    const refused = results.filter((result) => !result.ok && result.code === "rate-limited");
    // The burst, plus what the bucket refilled (one a second) while the flood was answered.
    const refilled = Math.floor((performance.now() - started) / 1000);
    expect(accepted).toBeGreaterThanOrEqual(5);
    expect(accepted).toBeLessThanOrEqual(5 + refilled);
    expect(refused).toHaveLength(30 - accepted);
    expect(refused[0]).toMatchObject({
      error: expect.stringMatching(/too fast.*Try again in \d+ s/),
      // The wait as a number, so a client can retry by itself.
      retryAfterMs: expect.any(Number),
    });
    expect(refused.every((result) => !result.ok && result.retryAfterMs! >= 1000)).toBe(true);

    const normal = await otherSocket
      .timeout(2000)
      .emitWithAck("message:send", { clientId: "normal-0001", body: "still here" });
    expect(normal).toMatchObject({ ok: true });
    expect(texts(await t.server.store.latestMessages(roomCode, 100))).toHaveLength(accepted + 1);
    floodSocket.close();
    otherSocket.close();
  });

  it("limits how many connections one address may hold, and frees a place when one closes", async () => {
    const roomCode = await newRoom(t.server);
    const person = await joinAs(t.server, roomCode, "Many", t.config);
    const sockets = Array.from({ length: 4 }, () =>
      connectSocket(t.server.url, { cookie: person.cookie }),
    );
    await Promise.all(sockets.map(connected));
    expect(await pollingHandshake()).toEqual({
      status: 403,
      body: expect.stringContaining(REQUEST_REFUSALS.tooManyConnections),
    });

    sockets.pop()!.close();
    // The server counts the close when it sees it: poll, rather than sleep, until a place is free.
    await eventually(async () => (await pollingHandshake()).status === 200, "a place freed");
    const another = connectSocket(t.server.url, { cookie: person.cookie });
    await connected(another);
    expect(await pollingHandshake()).toMatchObject({ status: 403 });
    [...sockets, another].forEach((socket) => socket.close());
  });
});
