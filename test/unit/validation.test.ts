import { describe, expect, it } from "vitest";
import { sendMessageSchema } from "@/lib/server/chat/payloads";
import { displayNameSchema, firstIssue, messageBodySchema } from "@/lib/validation";

const issue = (result: { success: boolean; error?: Parameters<typeof firstIssue>[0] }) =>
  result.error ? firstIssue(result.error) : null;

describe("names", () => {
  it("are normalised (NFKC, trimmed, spaces collapsed) and 1 to 32 characters as people see them", () => {
    expect(displayNameSchema.parse("  Alice  ")).toBe("Alice");
    expect(displayNameSchema.parse("Ann\u00a0 Lee")).toBe("Ann Lee");
    expect(displayNameSchema.parse("\uff21lice")).toBe("Alice");
    expect(displayNameSchema.parse("Zoe\u0308")).toBe("Zo\u00eb");
    expect(issue(displayNameSchema.safeParse("   "))).toBe("Please enter a name.");
    expect(displayNameSchema.safeParse("x".repeat(32)).success).toBe(true);
    expect(issue(displayNameSchema.safeParse("x".repeat(33)))).toMatch(/at most 32/);
    // Counted in grapheme clusters: a family emoji is one character, not eleven code units.
    expect(displayNameSchema.safeParse("👨‍👩‍👧‍👦".repeat(10)).success).toBe(true);
    expect(issue(displayNameSchema.safeParse("x".repeat(1500)))).toMatch(/at most 32/);
  });

  it.each([
    ["a combining grapheme joiner", "Alice\u034f"],
    ["a variation selector", "Alice\ufe0f"],
    ["a Hangul filler", "Alice\u3164"],
    ["a zero-width space", "Al\u200bice"],
    ["a word joiner", "Alice\u2060"],
    ["a right-to-left override", "Al\u202eice"],
    ["a line separator", "Al\u2028ice"],
    ["a paragraph separator", "Al\u2029ice"],
    ["a line break", "Al\nice"],
    ["a soft hyphen", "Al\u00adice"],
    ["a Braille blank", "Alice\u2800"],
    ["a halfwidth Hangul filler", "\uffa0Alice"],
    ["Hangul choseong/jungseong fillers", "Alice\u115f\u1160"],
  ])("cannot hide %s", (_what, name) => {
    expect(displayNameSchema.safeParse(name).success).toBe(false);
  });

  it.each([
    ["Hangul fillers", "\u3164\u3164"],
    ["Braille blanks", "\u2800\u2800\u2800"],
    ["halfwidth Hangul fillers", "\uffa0"],
    ["marks alone", "\u0301\u0301"],
  ])("cannot be made only of %s", (_what, name) => {
    expect(displayNameSchema.safeParse(name).success).toBe(false);
  });

  it("cannot stack more than two combining marks on a letter", () => {
    expect(issue(displayNameSchema.safeParse("Z" + "\u0301".repeat(28)))).toMatch(/stack/);
    expect(displayNameSchema.safeParse("a\u0301\u0302\u0303").success).toBe(false);
    // Real names keep their accents: Vietnamese, Thai and Devanagari use up to two marks.
    for (const name of ["Nguy\u1ec5n Th\u1ecb", "\u0e17\u0e35\u0e48", "\u0915\u094d\u0937\u093f"])
      expect(displayNameSchema.safeParse(name).success).toBe(true);
  });

  it("keep emoji whole, joiners and presentation selectors included", () => {
    for (const name of ["Zoë 🙂", "❤️ Anna", "👩‍💻 Dev", "🏴󠁧󠁢󠁥󠁮󠁧󠁿 fan"])
      expect(displayNameSchema.safeParse(name).success).toBe(true);
  });
});

describe("messages", () => {
  it("are trimmed and 1 to 2000 characters, newlines kept", () => {
    expect(messageBodySchema.parse("  hi\nthere  ")).toBe("hi\nthere");
    expect(messageBodySchema.safeParse(" \n ").success).toBe(false);
    expect(messageBodySchema.safeParse("x".repeat(2000)).success).toBe(true);
    expect(messageBodySchema.safeParse("x".repeat(2001)).success).toBe(false);
  });

  it("are sent with a client id and nothing else", () => {
    expect(sendMessageSchema.safeParse({ clientId: "abcdef0123", body: "hi" }).success).toBe(true);
    expect(
      sendMessageSchema.safeParse({ clientId: "abcdef0123", body: "hi", roomCode: "K7QX2M" })
        .success,
    ).toBe(false);
    expect(sendMessageSchema.safeParse({ clientId: "short", body: "hi" }).success).toBe(false);
    expect(sendMessageSchema.safeParse({ clientId: "abcdef0123", body: 5 }).success).toBe(false);
  });

  it("may carry only files, named by server-made ids", () => {
    const id = "A1b2_C3d4-E5f6G7h8I9j0";
    const parse = (payload: object) =>
      sendMessageSchema.safeParse({ clientId: "abcdef0123", ...payload });
    expect(parse({ body: "  ", attachments: [id] }).data).toMatchObject({ body: "" });
    expect(parse({ body: " hi ", attachments: [id] }).data).toMatchObject({ body: "hi" });
    expect(parse({ body: "  " }).success).toBe(false);
    expect(parse({ body: "", attachments: [] }).success).toBe(false);
    expect(parse({ body: "", attachments: ["../../etc/passwd"] }).success).toBe(false);
    expect(parse({ body: "", attachments: Array(11).fill(id) }).success).toBe(false);
  });
});
