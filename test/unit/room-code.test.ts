import { describe, expect, it } from "vitest";
import {
  ROOM_CODE_ALPHABET,
  generateRoomCode,
  isRoomCode,
  normalizeRoomCode,
} from "@/lib/room-code";
import { roomCodeSchema } from "@/lib/validation";

describe("room codes", () => {
  it("are 6 characters from an alphabet without look-alikes", () => {
    expect(ROOM_CODE_ALPHABET).not.toMatch(/[01OIL]/);
    for (let i = 0; i < 1000; i++)
      expect(generateRoomCode()).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
  });

  it("use every symbol of the alphabet about equally often", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 5000; i++)
      for (const symbol of generateRoomCode()) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    expect(counts.size).toBe(ROOM_CODE_ALPHABET.length);
    const expected = (5000 * 6) / ROOM_CODE_ALPHABET.length;
    for (const count of counts.values())
      expect(Math.abs(count - expected) / expected).toBeLessThan(0.2);
  });

  it("are read without regard to case, spaces or a pasted link", () => {
    expect(normalizeRoomCode(" k7qx2m ")).toBe("K7QX2M");
    expect(normalizeRoomCode("K7Q X2M")).toBe("K7QX2M");
    expect(normalizeRoomCode("http://192.168.1.20:3000/r/k7qx2m")).toBe("K7QX2M");
    expect(normalizeRoomCode("https://chat.example.org/r/K7QX2M?x=1#top")).toBe("K7QX2M");
    expect(isRoomCode("K7QX2M")).toBe(true);
    expect(isRoomCode("K0QX2M")).toBe(false);
  });

  it("give the home form's messages for empty and impossible codes", () => {
    expect(roomCodeSchema.safeParse("   ").error?.issues[0]?.message).toBe(
      "Please enter a room code.",
    );
    // A code of the wrong length is a typo the form can name; only a well-formed code is looked up.
    expect(roomCodeSchema.safeParse("abc").error?.issues[0]?.message).toBe(
      "Room codes have 6 characters.",
    );
    expect(roomCodeSchema.safeParse("ABCDEFGH").error?.issues[0]?.message).toBe(
      "Room codes have 6 characters.",
    );
    expect(roomCodeSchema.safeParse("K0QX2M").error?.issues[0]?.message).toBe(
      "This is not a room code: codes have no 0, 1, I, L or O.",
    );
    expect(roomCodeSchema.parse("k7qx2m")).toBe("K7QX2M");
  });
});
