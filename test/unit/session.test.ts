import { describe, expect, it } from "vitest";
import { readRoomSession } from "@/lib/server/session";
import { sessionCookie } from "../support/server";

const OLD = "the-old-secret-that-sealed-yesterdays-cookies";
const NEW = "the-new-secret-that-seals-every-cookie-from-now";
const person = { userId: "u1", name: "Alice", roomCode: "K7QX2M" };

describe("session cookies", () => {
  it("survive a secret rotation: the new secret seals, the old one still unseals", async () => {
    const before = { sessionSecrets: [OLD], sessionMaxAgeSeconds: 3600 };
    const after = { sessionSecrets: [NEW, OLD], sessionMaxAgeSeconds: 3600 };
    const oldCookie = await sessionCookie(before, person);
    expect(await readRoomSession(oldCookie, after)).toEqual(person);

    const newCookie = await sessionCookie(after, person);
    expect(
      await readRoomSession(newCookie, { sessionSecrets: [NEW], sessionMaxAgeSeconds: 3600 }),
    ).toEqual(person);
    // Once the old secret is dropped, its cookies stop working.
    expect(
      await readRoomSession(oldCookie, { sessionSecrets: [NEW], sessionMaxAgeSeconds: 3600 }),
    ).toBeNull();
  });

  it("treat a cookie without a room, or not sealed by us, as no session", async () => {
    const config = { sessionSecrets: [NEW], sessionMaxAgeSeconds: 3600 };
    expect(
      await readRoomSession(await sessionCookie(config, { userId: "u1", name: "Alice" }), config),
    ).toBeNull();
    expect(await readRoomSession("roomcode_session=garbage", config)).toBeNull();
    expect(await readRoomSession("roomcode_session=Fe26.2**abc*def", config)).toBeNull();
    expect(await readRoomSession(undefined, config)).toBeNull();
  });
});
