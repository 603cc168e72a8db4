// What a hostile client can still learn or take over plain HTTP: whether a room exists, more than
// its address's share by spoofing proxy headers, metrics through a local proxy, the server under
// another host name (DNS rebinding), and answers to malformed or foreign requests.
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { describe, expect, it } from "vitest";
import { generateRoomCode } from "@/lib/room-code";
import { chooseRoom } from "@/lib/server/rooms";
import { getRuntime } from "@/lib/server/runtime";
import {
  connectSocket,
  connected,
  joinAs,
  newRoom,
  withTestServer,
  type TestServer,
} from "../support/server";

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request with exactly these headers (fetch would not let a test set Host). */
function raw(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url + options.path,
      { method: options.method ?? "GET", headers: options.headers },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

function expectSecurityHeaders(response: RawResponse): void {
  expect(response.headers["content-security-policy"]).toMatch(/default-src 'none'/);
  expect(response.headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
  expect(response.headers["x-content-type-options"]).toBe("nosniff");
  expect(response.headers["x-frame-options"]).toBe("DENY");
  expect(response.headers["referrer-policy"]).toBe("same-origin");
}

/** A code that is not this room's (and, with 887 million codes, almost surely no room's). */
function otherCode(known: string): string {
  let code = generateRoomCode();
  while (code === known) code = generateRoomCode();
  return code;
}

/** Statuses of `count` room-page requests, alternating between two codes. */
async function pageStatuses(
  t: TestServer,
  codes: string[],
  count: number,
  headers: (i: number) => Record<string, string> = () => ({}),
): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await raw(t.server.url, {
      path: `/r/${codes[i % codes.length]}`,
      headers: headers(i),
    });
    statuses.push(response.status);
  }
  return statuses;
}

describe("room pages for strangers", () => {
  const t = withTestServer({ ROOM_PAGES_PER_HOUR: "6", JOIN_ATTEMPTS_PER_HOUR: "3" });

  it("answer known and unknown codes alike until the address's budget is spent", async () => {
    const known = await newRoom(t.server);
    const codes = [known, otherCode(known)];
    // Without Next in this server, "let through" is its plain 404; what matters is that a known
    // code and an unknown one get the same answer, and that the seventh gets none.
    const first = await raw(t.server.url, { path: `/r/${codes[0]}` });
    const second = await raw(t.server.url, { path: `/r/${codes[1]}` });
    expect([first.status, first.body]).toEqual([second.status, second.body]);
    expect(await pageStatuses(t, codes, 5)).toEqual([404, 404, 404, 404, 429]);

    const refused = await raw(t.server.url, { path: `/r/${known}` });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(refused.body).toMatch(/Too many room codes tried from your network/);
    expectSecurityHeaders(refused);
  });

  it("let a member open their own room whatever the budget says", async () => {
    const known = await newRoom(t.server);
    const member = await joinAs(t.server, known, "Member", t.config);
    await pageStatuses(t, [otherCode(known)], 7);
    const own = await raw(t.server.url, {
      path: `/r/${known}`,
      headers: { cookie: member.cookie },
    });
    expect(own.status).toBe(404);
  });

  it("are closed to an address that has used up its guesses at the join form", async () => {
    const known = await newRoom(t.server);
    const runtime = getRuntime();
    const deps = { ...runtime, membersPerRoom: 10 };
    for (let i = 0; i < 3; i++) {
      const guess = {
        intent: "join" as const,
        name: "G",
        code: otherCode(known),
        userId: "g",
        ip: "127.0.0.1",
      };
      expect(await chooseRoom(deps, guess)).toMatchObject({
        ok: false,
        error: "Room does not exist.",
      });
    }
    expect((await raw(t.server.url, { path: `/r/${known}` })).status).toBe(429);
  });
});

describe("joining", () => {
  const t = withTestServer({ JOINS_PER_HOUR: "3", MEMBERS_PER_ROOM: "4" });

  /** What the join action does: the decision, with the server's own limits, then the join. */
  async function join(roomCode: string, userId: string, ip: string) {
    const runtime = getRuntime();
    const deps = { ...runtime, membersPerRoom: runtime.config.limits.membersPerRoom };
    const request = { intent: "join" as const, name: userId, code: roomCode, userId, ip };
    const entry = await chooseRoom(deps, request);
    if (entry.ok) await runtime.membership.join(roomCode, { userId, name: entry.name });
    return entry;
  }

  it("one address may join only so many times an hour; joining again is free", async () => {
    const roomCode = await newRoom(t.server);
    for (const name of ["Ann", "Ben", "Cat"])
      expect(await join(roomCode, name, "203.0.113.1")).toMatchObject({ ok: true });
    expect(await join(roomCode, "Dan", "203.0.113.1")).toEqual({
      ok: false,
      error: expect.stringMatching(
        /^Too many people joining from your network\. Try again in \d+ minutes?\.$/,
      ),
    });
    // A member joining again (say, under a new name) takes no new place.
    expect(await join(roomCode, "Ann", "203.0.113.1")).toMatchObject({ ok: true });
    expect(await join(roomCode, "Dan", "203.0.113.2")).toMatchObject({ ok: true });
  });

  it("a room takes members up to its cap, and a place frees when someone leaves", async () => {
    const roomCode = await newRoom(t.server);
    for (let i = 0; i < 4; i++)
      expect(await join(roomCode, `P${i}`, `198.51.100.${i}`)).toMatchObject({ ok: true });
    expect(await join(roomCode, "P4", "198.51.100.4")).toEqual({
      ok: false,
      error: "This room is full: it has 4 members, the most allowed.",
    });
    expect(await t.server.store.countMembers(roomCode)).toBe(4);
    await t.server.chat.membership.leave(roomCode, "P0");
    expect(await join(roomCode, "P4", "198.51.100.4")).toMatchObject({ ok: true });
  });
});

describe("behind the README's nginx (TRUST_PROXY=1)", () => {
  const t = withTestServer({ TRUST_PROXY: "1", ROOM_PAGES_PER_HOUR: "4", CONNECTIONS_PER_IP: "2" });

  // nginx's $proxy_add_x_forwarded_for appends the address it saw to whatever the client sent.
  const viaNginx = (spoofed: string, client: string) => ({
    "x-forwarded-for": `${spoofed}, ${client}`,
  });

  it("counts the address nginx saw, not the leftmost entry the client wrote", async () => {
    const codes = [otherCode(""), otherCode("")];
    const statuses = await pageStatuses(t, codes, 6, (i) =>
      viaNginx(`198.51.100.${i}`, "203.0.113.5"),
    );
    expect(statuses).toEqual([404, 404, 404, 404, 429, 429]);
    // Another client behind the same proxy has its own budget.
    const other = await raw(t.server.url, {
      path: `/r/${codes[0]}`,
      headers: viaNginx("203.0.113.5", "203.0.113.6"),
    });
    expect(other.status).toBe(404);
  });

  it("holds the connection cap per real address, whatever the client writes first", async () => {
    const roomCode = await newRoom(t.server);
    const person = await joinAs(t.server, roomCode, "Many", t.config);
    const open = (i: number) =>
      connectSocket(t.server.url, {
        cookie: person.cookie,
        headers: viaNginx(`198.51.100.${i}`, "203.0.113.9"),
      });
    const sockets = [open(1), open(2)];
    await Promise.all(sockets.map(connected));
    const third = open(3);
    await expect(connected(third)).rejects.toThrow();
    [...sockets, third].forEach((socket) => socket.close());
  });
});

describe("the connection cap", () => {
  const t = withTestServer({ CONNECTIONS_PER_IP: "2" });

  it("is not used up by handshakes without a valid session", async () => {
    // Engine.IO handshakes that never present a session stay open until they time out.
    for (let i = 0; i < 3; i++) {
      const handshake = await raw(t.server.url, { path: "/socket.io/?EIO=4&transport=polling" });
      expect(handshake.status).toBe(200);
    }
    const forged = connectSocket(t.server.url, { cookie: "roomcode_session=forged" });
    await expect(connected(forged)).rejects.toThrow(/unauthorized/);
    const roomCode = await newRoom(t.server);
    const person = await joinAs(t.server, roomCode, "Member", t.config);
    const member = connectSocket(t.server.url, { cookie: person.cookie });
    await connected(member);
    forged.close();
    member.close();
  });
});

describe("/metrics without a token", () => {
  const t = withTestServer({ TRUST_PROXY: "1" }, "all");

  it("answers this machine directly, and nothing relayed by a local proxy", async () => {
    expect((await raw(t.server.url, { path: "/metrics" })).status).toBe(200);
    for (const header of ["x-forwarded-for", "x-real-ip", "forwarded"]) {
      const relayed = await raw(t.server.url, {
        path: "/metrics",
        headers: { [header]: header === "forwarded" ? "for=203.0.113.5" : "203.0.113.5" },
      });
      expect(relayed.status, header).toBe(403);
    }
    // Even a client claiming to be this machine through the proxy.
    const spoofed = await raw(t.server.url, {
      path: "/metrics",
      headers: { "x-forwarded-for": "127.0.0.1" },
    });
    expect(spoofed.status).toBe(403);
  });
});

describe("host names", () => {
  const t = withTestServer({ ALLOWED_HOSTS: "chat.test" }, "all");
  const port = () => t.server.port;

  it("refuses a name that is not this server's with 421, pages and sockets alike", async () => {
    const evil = { host: `rebound.example:${port()}` };
    const page = await raw(t.server.url, { path: "/", headers: evil });
    expect(page.status).toBe(421);
    expectSecurityHeaders(page);
    const otherName = await raw(t.server.url, { path: "/", headers: { host: "chat.test.evil" } });
    expect(otherName.status).toBe(421);
    const polling = await raw(t.server.url, {
      path: "/socket.io/?EIO=4&transport=polling",
      headers: evil,
    });
    expect(polling.status).toBe(421);
    const upgrade = await raw(t.server.url, {
      path: "/socket.io/?EIO=4&transport=websocket",
      headers: {
        ...evil,
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      },
    });
    expect(upgrade.status).toBe(421);
  });

  it("answers its own addresses, configured names and health probes", async () => {
    // Addresses at any port: a TCP balancer or a port forward in front changes the port, and
    // rebinding needs a name.
    for (const host of [
      `127.0.0.1:${port()}`,
      `localhost:${port()}`,
      "chat.test",
      "10.0.0.7:8080",
    ]) {
      const response = await raw(t.server.url, {
        path: "/socket.io/?EIO=4&transport=polling",
        headers: { host },
      });
      expect(response.status, host).toBe(200);
    }
    const probe = await raw(t.server.url, { path: "/healthz", headers: { host: "10.9.9.9" } });
    expect(probe.status).toBe(200);
  });
});

describe("malformed and refused requests", () => {
  const t = withTestServer({}, "all");

  it("answer a URL that does not decode with 400 and the security headers", async () => {
    const response = await raw(t.server.url, { path: "/r/%E0%A4%A" });
    expect(response.status).toBe(400);
    expectSecurityHeaders(response);
  });

  it("refuse server actions from another origin or larger than a form needs", async () => {
    const action = (headers: Record<string, string>, body = "x") =>
      raw(t.server.url, {
        method: "POST",
        path: "/",
        headers: { "next-action": "0123abcd", "content-type": "text/plain", ...headers },
        body,
      });
    const foreign = await action({ origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expectSecurityHeaders(foreign);
    expect((await action({ origin: "null" })).status).toBe(403);
    const large = await action({ origin: t.server.url }, "x".repeat(20_000));
    expect(large.status).toBe(413);
    expectSecurityHeaders(large);
  });
});
