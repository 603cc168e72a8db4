import { sealData } from "iron-session";
import { describe, expect, it } from "vitest";
import { generateRoomCode } from "@/lib/room-code";
import { MAX_SESSION_ROOMS, readRoomSession, sessionPasswords } from "@/lib/server/session";
import { sessionCookie } from "../support/server";

const OLD = "the-old-secret-that-sealed-yesterdays-cookies";
const NEW = "the-new-secret-that-seals-every-cookie-from-now";
const config = { sessionSecrets: [NEW], sessionMaxAgeSeconds: 3600 };
const person = { userId: "u1", name: "Alice", rooms: ["K7QX2M"] };

describe("session cookies", () => {
  it("survive a secret rotation: the new secret seals, the old one still unseals", async () => {
    const before = { sessionSecrets: [OLD], sessionMaxAgeSeconds: 3600 };
    const after = { sessionSecrets: [NEW, OLD], sessionMaxAgeSeconds: 3600 };
    const inRoom = { userId: "u1", roomCode: "K7QX2M" };
    const oldCookie = await sessionCookie(before, person);
    expect(await readRoomSession(oldCookie, after)).toEqual(inRoom);

    const newCookie = await sessionCookie(after, person);
    expect(await readRoomSession(newCookie, config)).toEqual(inRoom);
    // Once the old secret is dropped, its cookies stop working.
    expect(await readRoomSession(oldCookie, config)).toBeNull();
  });

  it("treat a cookie without a room, or not sealed by us, as no session", async () => {
    expect(
      await readRoomSession(await sessionCookie(config, { userId: "u1", name: "Alice" }), config),
    ).toBeNull();
    expect(await readRoomSession("roomcode_session=garbage", config)).toBeNull();
    expect(await readRoomSession("roomcode_session=Fe26.2**abc*def", config)).toBeNull();
    expect(await readRoomSession(undefined, config)).toBeNull();
  });

  it("open a socket only for a room the session holds, and ask which when it holds several", async () => {
    const cookie = await sessionCookie(config, { userId: "u1", rooms: ["K7QX2M", "B4ZZ9P"] });
    expect(await readRoomSession(cookie, config, "B4ZZ9P")).toEqual({
      userId: "u1",
      roomCode: "B4ZZ9P",
    });
    expect(await readRoomSession(cookie, config, "QQQQQQ")).toBeNull();
    expect(await readRoomSession(cookie, config)).toBeNull();
  });

  it("keep the room of a cookie sealed before a browser could be in several", async () => {
    const legacy = await sealData(
      { userId: "u1", name: "Alice", roomCode: "K7QX2M" },
      { password: sessionPasswords(config), ttl: 3600 },
    );
    expect(await readRoomSession(`roomcode_session=${legacy}`, config)).toEqual({
      userId: "u1",
      roomCode: "K7QX2M",
    });
  });

  it("stay far below the browsers' 4 KB with 20 rooms, and with the most a session may hold", async () => {
    const sizeWith = async (count: number) => {
      const rooms = Array.from({ length: count }, generateRoomCode);
      const cookie = await sessionCookie(config, {
        userId: crypto.randomUUID(),
        name: "A name of the longest kind people type in",
        rooms,
      });
      const session = await readRoomSession(cookie, config, rooms.at(-1));
      expect(session?.roomCode).toBe(rooms.at(-1));
      return cookie.length;
    };
    const twenty = await sizeWith(20);
    const full = await sizeWith(MAX_SESSION_ROOMS);
    console.info(`session cookie: 20 rooms ${twenty} B, ${MAX_SESSION_ROOMS} rooms ${full} B`);
    expect(twenty).toBeLessThan(1024);
    expect(full).toBeLessThan(2048);
    // One more room than allowed is not our cookie.
    const tooMany = await sessionCookie(config, {
      userId: "u1",
      rooms: Array.from({ length: MAX_SESSION_ROOMS + 1 }, generateRoomCode),
    });
    expect(await readRoomSession(tooMany, config, "K7QX2M")).toBeNull();
  });
});
