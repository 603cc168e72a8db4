import { describe, expect, it } from "vitest";
import { sendMessageSchema } from "@/lib/server/chat/payloads";
import { displayNameSchema, firstIssue, messageBodySchema } from "@/lib/validation";

const issue = (result: { success: boolean; error?: Parameters<typeof firstIssue>[0] }) =>
  result.error ? firstIssue(result.error) : null;

describe("names", () => {
  it("are trimmed and 1 to 32 characters", () => {
    expect(displayNameSchema.parse("  Alice  ")).toBe("Alice");
    expect(issue(displayNameSchema.safeParse("   "))).toBe("Please enter a name.");
    expect(displayNameSchema.safeParse("x".repeat(32)).success).toBe(true);
    expect(issue(displayNameSchema.safeParse("x".repeat(33)))).toMatch(/at most 32/);
  });

  it("cannot hide control or direction-override characters", () => {
    expect(displayNameSchema.safeParse("Al\u202eice").success).toBe(false);
    expect(displayNameSchema.safeParse("Al\nice").success).toBe(false);
    expect(displayNameSchema.safeParse("Zoë 🙂").success).toBe(true);
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
