// Passphrase hashes: salted, checked against the stored parameters, and never more at once than
// the slots allow: beyond the queue the answer is "busy" instead of another 32 MB hash.
import { describe, expect, it } from "vitest";
import { createPassphraseHasher } from "@/lib/server/passphrase";

describe("passphrase hashes", () => {
  it("are salted, and only the passphrase itself matches", async () => {
    const hasher = createPassphraseHasher({ atOnce: 2, queue: 8 });
    const [first, second] = await Promise.all([
      hasher.hash("tea at five"),
      hasher.hash("tea at five"),
    ]);
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain("tea");
    expect(await hasher.verify("tea at five", first as string)).toBe("match");
    expect(await hasher.verify("tea at six", first as string)).toBe("mismatch");
    expect(await hasher.verify("Tea at five", second as string)).toBe("mismatch");
  });

  it("a flood waits for the slots, and what the queue cannot hold is answered busy", async () => {
    const hasher = createPassphraseHasher({ atOnce: 1, queue: 2 });
    const stored = (await hasher.hash("open sesame")) as string;
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => hasher.verify("open sesame", stored)),
    );
    expect(answers.filter((answer) => answer === "busy").length).toBeGreaterThanOrEqual(3);
    expect(answers.filter((answer) => answer === "match").length).toBeGreaterThanOrEqual(1);
    expect(answers.every((answer) => answer !== "mismatch")).toBe(true);
    // Once the queue drains, the next check runs.
    expect(await hasher.verify("open sesame", stored)).toBe("match");
  });

  it("hash off the event loop: other work runs while a hash is computed", async () => {
    const hasher = createPassphraseHasher({ atOnce: 1, queue: 1 });
    let hashed = false;
    const hashing = hasher.hash("open sesame").then(() => (hashed = true));
    // A hash on the loop itself (scryptSync) would be done before the loop's next turn.
    await new Promise((resolve) => setImmediate(resolve));
    expect(hashed).toBe(false);
    await hashing;
  });
});
