// The room page's data, kept per room for a moment: a crowd's page loads share one read, yet each
// viewer is listed, no room shows another's rows, and a room re-created under a code starts afresh.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateRoomCode } from "@/lib/room-code";
import { PAGE_MEMBERS_SHOWN, roomPageData } from "@/lib/server/room-page-data";
import { openSqliteStore } from "@/lib/server/store/sqlite";
import type { ChatStore, Room } from "@/lib/server/store/types";

describe("the room page's data", () => {
  let dir: string;
  let store: ChatStore;
  const T0 = 1_000_000;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "roomcode-page-"));
    store = openSqliteStore(path.join(dir, "chat.db"));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function roomWith(names: string[], createdAt = T0): Promise<Room> {
    const code = generateRoomCode();
    await store.createRoom(code, createdAt);
    for (const name of names) await store.addMember(code, { userId: `id-${name}`, name }, T0);
    return (await store.getRoom(code))!;
  }
  const say = (room: Room, body: string) =>
    store.appendMessage({
      roomCode: room.code,
      clientId: null,
      kind: "text",
      authorId: "id-Ann",
      authorName: "Ann",
      body,
      createdAt: T0,
    });

  it("names the first of a crowd and the viewer, and counts everyone", async () => {
    const names = Array.from({ length: 120 }, (_, i) => `Guest ${String(i).padStart(3, "0")}`);
    const room = await roomWith(names);
    const late = { userId: "id-Guest 119", name: "Guest 119" };
    const data = await roomPageData(store, room, late, T0);
    expect(data.memberCount).toBe(120);
    expect(data.members).toHaveLength(PAGE_MEMBERS_SHOWN + 1);
    expect(data.members.map((member) => member.name)).toContain("Guest 119");
  });

  it("is read once for a moment, then afresh; a viewer who joined since is listed", async () => {
    const room = await roomWith(["Ann"]);
    await say(room, "first");
    const ann = { userId: "id-Ann", name: "Ann" };
    expect((await roomPageData(store, room, ann, T0)).messages.map((m) => m.body)).toEqual([
      "first",
    ]);
    await say(room, "second");
    await store.addMember(room.code, { userId: "id-Ben", name: "Ben" }, T0);
    const ben = { userId: "id-Ben", name: "Ben" };
    const soon = await roomPageData(store, room, ben, T0 + 500);
    expect(soon.messages.map((m) => m.body)).toEqual(["first"]);
    expect(soon.members).toEqual([ann, ben]);
    expect(soon.memberCount).toBe(2);
    const later = await roomPageData(store, room, ben, T0 + 1000);
    expect(later.messages.map((m) => m.body)).toEqual(["first", "second"]);
  });

  it("never shows one room's rows in another, nor a deleted room's in its successor", async () => {
    const first = await roomWith(["Ann"]);
    await say(first, "in the first room");
    const other = await roomWith(["Ann"]);
    const ann = { userId: "id-Ann", name: "Ann" };
    await roomPageData(store, first, ann, T0);
    expect((await roomPageData(store, other, ann, T0)).messages).toEqual([]);

    // The same code, deleted and created again within the moment: another room.
    await store.removeMember(first.code, ann.userId);
    expect(await store.deleteIdleRooms(Number.MAX_SAFE_INTEGER)).toContain(first.code);
    await store.createRoom(first.code, T0 + 1);
    await store.addMember(first.code, ann, T0 + 1);
    const successor = (await store.getRoom(first.code))!;
    expect((await roomPageData(store, successor, ann, T0 + 2)).messages).toEqual([]);
  });
});
