// Owners over real sockets: only the stored owner's actions apply, on SQLite and (with
// DATABASE_URL) PostgreSQL; removal and deletion end the right tabs at once.
import { describe, expect, it } from "vitest";
import type { ChatMessage, OwnerAction, RoomState } from "@/lib/chat-events";
import { createPassphraseHasher, type PassphraseHasher } from "@/lib/server/passphrase";
import { createRateLimiter } from "@/lib/server/rate-limit";
import { chooseRoom, type EntryRequest } from "@/lib/server/rooms";
import {
  connectSocket,
  connected,
  entryDeps,
  eventually,
  roomWithSockets,
  withTestServer,
  type Person,
  type TestServer,
} from "../support/server";
import { serverStores } from "../support/stores";

const stores = serverStores("owners_test");

type Socket = ReturnType<typeof connectSocket>;

function act(socket: Socket, action: OwnerAction) {
  return socket.timeout(5000).emitWithAck("owner:action", action);
}

/** Olga creates the room (so owns it), Max and Nina join; each has a connected tab. */
async function roomOfThree(t: TestServer) {
  const { roomCode, people, sockets } = await roomWithSockets(t, "Olga", "Max", "Nina");
  const [olga, max, nina] = people as [Person, Person, Person];
  const [olgaTab, maxTab, ninaTab] = sockets as [Socket, Socket, Socket];
  return { roomCode, olga, max, nina, olgaTab, maxTab, ninaTab, sockets };
}

function ended(socket: Socket) {
  const reasons: string[] = [];
  socket.on("session:ended", ({ reason }) => reasons.push(reason));
  return reasons;
}

for (const [storeName, env] of stores) {
  describe(`owners, on ${storeName}`, () => {
    const t = withTestServer(env, "all");

    it("refuses every owner action crafted by a member who is not the owner, and stores nothing", async () => {
      const { roomCode, nina, maxTab, sockets } = await roomOfThree(t);
      const before = await t.server.store.latestMessages(roomCode, 100);
      for (const action of [
        { type: "name", name: "Pwned" },
        { type: "lock", locked: true },
        { type: "remove", userId: nina.userId },
        { type: "hand-over", userId: nina.userId },
        { type: "delete" },
      ] as const)
        expect(await act(maxTab, action)).toMatchObject({ ok: false, code: "not-owner" });
      // Smuggled fields do not make anyone an owner either.
      expect(
        await act(maxTab, { type: "lock", locked: true, ownerId: "x" } as unknown as OwnerAction),
      ).toMatchObject({ ok: false, code: "invalid" });
      expect(await t.server.store.latestMessages(roomCode, 100)).toEqual(before);
      expect(await t.server.store.getRoom(roomCode)).toMatchObject({ name: "", locked: false });
      expect(await t.server.store.getMember(roomCode, nina.userId)).not.toBeNull();
      sockets.forEach((socket) => socket.close());
    });

    it("the owner names and locks the room: everyone sees the notice and the new state live", async () => {
      const { roomCode, olga, olgaTab, maxTab, sockets } = await roomOfThree(t);
      const states: RoomState[] = [];
      const notices: string[] = [];
      maxTab.on("room:state", (state) => states.push(state));
      maxTab.on("message", (message: ChatMessage) =>
        notices.push(`${message.kind}:${message.body}`),
      );
      expect(await act(olgaTab, { type: "name", name: "  Book club " })).toMatchObject({
        ok: true,
        state: { name: "Book club", ownerId: olga.userId },
      });
      expect(await act(olgaTab, { type: "lock", locked: true })).toMatchObject({ ok: true });
      await eventually(() => states.at(-1)?.locked === true, "Max saw both changes");
      expect(states.at(-1)).toEqual({
        name: "Book club",
        locked: true,
        ownerId: olga.userId,
        hasPassphrase: false,
      });
      expect(notices).toEqual(["room-named:Book club", "room-locked:"]);
      // Nobody new gets in; the members stay.
      const admission = await t.server.chat.membership.join(roomCode, {
        userId: "late",
        name: "Late",
      });
      expect(admission).toEqual({ kind: "refused", reason: "locked" });
      expect(maxTab.connected).toBe(true);
      sockets.forEach((socket) => socket.close());
    });

    it("removing a member ends every tab of theirs at once, refuses their sends, and keeps them out", async () => {
      const { roomCode, nina, olgaTab, ninaTab, maxTab, sockets } = await roomOfThree(t);
      const secondTab = connectSocket(t.server.url, { cookie: nina.cookie });
      await connected(secondTab);
      const [first, second] = [ended(ninaTab), ended(secondTab)];
      let maxPresence: string[] = [];
      maxTab.on("presence", ({ members }) => (maxPresence = members.map((m) => m.name)));

      // A send racing the removal lands before its notice or is refused; never after it.
      const [sent, removal] = await Promise.all([
        ninaTab
          .timeout(5000)
          .emitWithAck("message:send", { clientId: "racing-0001", body: "last words" })
          .catch(() => null),
        act(olgaTab, { type: "remove", userId: nina.userId }),
      ]);
      expect(removal).toMatchObject({ ok: true });
      await eventually(
        () => first.includes("removed") && second.includes("removed"),
        "both of Nina's tabs were told",
      );
      await eventually(() => !ninaTab.connected && !secondTab.connected, "both tabs closed");
      await eventually(() => maxPresence.length === 2, "Max's list lost Nina");
      const history = await t.server.store.latestMessages(roomCode, 100);
      const removedAt = history.findIndex((message) => message.kind === "member-removed");
      const lastWords = history.findIndex((message) => message.body === "last words");
      if (sent && sent.ok) expect(lastWords).toBeLessThan(removedAt);
      else expect(lastWords).toBe(-1);

      // Her cookie opens nothing, and a new name does not bring her back.
      const again = connectSocket(t.server.url, { cookie: nina.cookie });
      await expect(connected(again)).rejects.toThrow("not-member");
      again.close();
      expect(
        await t.server.chat.membership.join(roomCode, { userId: nina.userId, name: "Nena" }),
      ).toEqual({ kind: "refused", reason: "removed" });
      [...sockets, secondTab].forEach((socket) => socket.close());
    });

    it("deleting the room sends everyone home and leaves nothing of it in the store", async () => {
      const { roomCode, olgaTab, sockets } = await roomOfThree(t);
      const reasons = sockets.map(ended);
      void act(olgaTab, { type: "delete" }).catch(() => undefined);
      await eventually(
        () => reasons.every((list) => list.includes("deleted")),
        "every tab was told the room is deleted",
      );
      await eventually(() => sockets.every((socket) => !socket.connected), "every tab closed");
      expect(await t.server.store.getRoom(roomCode)).toBeNull();
      expect(await t.server.store.latestMessages(roomCode, 10)).toEqual([]);
      sockets.forEach((socket) => socket.close());
    });

    it("hands over, and an owner's leaving passes the room to the member there longest", async () => {
      const { roomCode, olga, max, nina, olgaTab, maxTab, sockets } = await roomOfThree(t);
      expect(await act(olgaTab, { type: "hand-over", userId: max.userId })).toMatchObject({
        ok: true,
        state: { ownerId: max.userId },
      });
      expect(await act(olgaTab, { type: "lock", locked: true })).toMatchObject({
        ok: false,
        code: "not-owner",
      });
      const states: RoomState[] = [];
      olgaTab.on("room:state", (state) => states.push(state));
      maxTab.close();
      await t.server.chat.membership.leave(roomCode, max.userId);
      // Olga joined before Nina.
      await eventually(() => states.at(-1)?.ownerId === olga.userId, "Olga got the room back");
      const latest = await t.server.store.latestMessages(roomCode, 1);
      expect(latest[0]).toMatchObject({ kind: "owner-passed", authorId: olga.userId });
      expect(nina).toBeDefined();
      sockets.forEach((socket) => socket.close());
    });

    it("a passphrase change by anyone but the owner is refused and logged, and no hash is made", async () => {
      const { roomCode, maxTab, sockets } = await roomOfThree(t);
      const before = await t.server.store.latestMessages(roomCode, 100);
      for (const passphrase of ["let-max-in", null])
        expect(await act(maxTab, { type: "passphrase", passphrase })).toMatchObject({
          ok: false,
          code: "not-owner",
        });
      expect(
        t.logs.filter(
          (line) =>
            line.msg === "owner action refused" &&
            line.action === "passphrase" &&
            line.reason === "not-owner" &&
            line.roomCode === roomCode,
        ),
      ).toHaveLength(2);
      expect(await t.server.store.passphraseHash(roomCode)).toBeNull();
      expect(await t.server.store.latestMessages(roomCode, 100)).toEqual(before);
      // Too short, or smuggled along with another action's fields: refused as invalid.
      expect(await act(maxTab, { type: "passphrase", passphrase: "abc" })).toMatchObject({
        code: "invalid",
      });
      sockets.forEach((socket) => socket.close());
    });

    it("with a passphrase set, a newcomer needs it, every try costs a guess, and members stay", async () => {
      const { roomCode, olgaTab, maxTab, sockets } = await roomOfThree(t);
      const seen: string[] = [];
      const states: RoomState[] = [];
      maxTab.onAny((_event, payload: unknown) => seen.push(JSON.stringify(payload)));
      maxTab.on("room:state", (state) => states.push(state));
      expect(await act(olgaTab, { type: "passphrase", passphrase: "correct horse" })).toMatchObject(
        { ok: true, state: { hasPassphrase: true } },
      );
      await eventually(() => states.at(-1)?.hasPassphrase === true, "Max saw the change");
      const [latest] = await t.server.store.latestMessages(roomCode, 1);
      expect(latest).toMatchObject({ kind: "passphrase-set", authorName: "Olga", body: "" });
      // Neither the passphrase nor its hash reaches a member.
      expect(seen.join()).not.toMatch(/correct horse|scrypt/);
      expect(maxTab.connected).toBe(true);

      let hashes = 0;
      const hasher = createPassphraseHasher({ atOnce: 2, queue: 32 });
      const counting: PassphraseHasher = {
        hash: hasher.hash,
        verify: (passphrase, stored) => {
          hashes++;
          return hasher.verify(passphrase, stored);
        },
      };
      const deps = entryDeps(t.server, {
        roomAttempts: createRateLimiter({ capacity: 3, refillPerSecond: 0.001 }),
        passphrases: counting,
      });
      const request = (passphrase: string, userId = "user-petra"): EntryRequest => ({
        intent: "join",
        name: "Petra",
        code: roomCode,
        userId,
        ip: "10.1.1.1",
        passphrase,
      });
      expect(await chooseRoom(deps, request(""))).toMatchObject({
        ok: false,
        field: "passphrase",
        error: expect.stringContaining("needs a passphrase"),
      });
      expect(await chooseRoom(deps, request("wrong horse"))).toMatchObject({
        ok: false,
        field: "passphrase",
        error: "Wrong passphrase.",
      });
      const right = await chooseRoom(deps, request("correct horse"));
      expect(right).toMatchObject({ ok: true });
      expect(hashes).toBe(2);
      // The budget is spent: even the right passphrase is not hashed any more.
      expect(await chooseRoom(deps, request("correct horse", "user-quinn"))).toMatchObject({
        ok: false,
        error: expect.stringContaining("Too many attempts"),
      });
      expect(hashes).toBe(2);

      // The hash checked is the one admitted against; a join without one is refused.
      if (!right.ok) throw new Error("unreachable");
      const petra = { userId: "user-petra", name: "Petra" };
      expect(await t.server.chat.membership.join(roomCode, petra)).toEqual({
        kind: "refused",
        reason: "passphrase",
      });
      expect(
        await t.server.chat.membership.join(roomCode, petra, "10.1.1.1", right.passphraseHash),
      ).toEqual({ kind: "joined" });
      sockets.forEach((socket) => socket.close());
    });
  });
}
