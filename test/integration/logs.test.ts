// What the server writes to its log at the most verbose level: what happened and where, never a
// message body or a session cookie.
import { expect, it } from "vitest";
import type { ChatClientSocket } from "@/lib/client/room-connection";
import { roomWithSockets, withTestServer } from "../support/server";

const t = withTestServer({ LOG_LEVEL: "trace" });

it("keeps message bodies and cookies out of the log, even when a step fails", async () => {
  const { people, sockets } = await roomWithSockets(t, "Alice", "Bob");
  const [aliceSocket] = sockets as [ChatClientSocket, ChatClientSocket];
  const body = "secret-body-7f3a9c";
  await aliceSocket.timeout(5000).emitWithAck("message:send", { clientId: "log-check-0001", body });

  // A failing step logs its error: still without the body that was being stored.
  const store = t.server.store;
  const appendMessages = store.appendMessages;
  store.appendMessages = () => Promise.reject(new Error("disk full"));
  try {
    await aliceSocket
      .timeout(5000)
      .emitWithAck("message:send", { clientId: "log-check-0002", body: `${body}-again` });
  } finally {
    store.appendMessages = appendMessages;
  }
  // An HTTP request carrying the cookie is logged too.
  await fetch(`${t.server.url}/healthz`, { headers: { cookie: people[0]!.cookie } });

  const log = t.logs.map((line) => JSON.stringify(line)).join("\n");
  expect(t.logs.some((line) => line.msg === "chat step failed")).toBe(true);
  expect(t.logs.some((line) => line.msg === "request")).toBe(true);
  expect(log).not.toContain(body);
  for (const person of people) expect(log).not.toContain(person.cookie.split("=")[1]!);
  sockets.forEach((socket) => socket.close());
});
