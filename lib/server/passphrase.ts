// Room passphrases, kept only as scrypt hashes. scrypt is slow on purpose, so every hash waits for
// one of a few slots (a flood of joins queues, then is told to come back, and cannot take every
// core); callers charge the person's guess budget before they ask for one.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import pLimit from "p-limit";

/**
 * N = 2^15, r = 8, p = 1: 32 MiB and about 0.1 s of one core per hash. The online guesses are
 * bounded by the per-address guess budget, so the cost is there for a copied store: each offline
 * guess costs the same 32 MiB. OWASP's first choice (N = 2^17) needs 128 MiB per hash, which a
 * small host running two at once cannot spare. The parameters are stored with each hash, so
 * raising them later leaves older hashes readable.
 */
const PARAMETERS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Node refuses scrypt above 32 MiB unless told; the hash needs 128·N·r bytes plus a little. */
const maxmem = (N: number, r: number) => 128 * N * r + 1024 * 1024;

export type PassphraseCheck = "match" | "mismatch" | "busy";

export interface PassphraseHasher {
  /** The stored form: `scrypt$N$r$p$salt$key` (base64url); "busy" when the queue is full. */
  hash(passphrase: string): Promise<string | "busy">;
  /** Compares in constant time against a stored form. */
  verify(passphrase: string, stored: string): Promise<PassphraseCheck>;
}

function derive(
  passphrase: string,
  salt: Buffer,
  { N, r, p }: { N: number; r: number; p: number },
  keyBytes = KEY_BYTES,
): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: maxmem(N, r) };
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize("NFC"), salt, keyBytes, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

function parse(stored: string) {
  const [scheme, N, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) throw new Error("Unreadable passphrase hash");
  return {
    parameters: { N: Number(N), r: Number(r), p: Number(p) },
    salt: Buffer.from(salt, "base64url"),
    key: Buffer.from(key, "base64url"),
  };
}

export function createPassphraseHasher(options: {
  /** Hashes computed at once. */
  atOnce: number;
  /** Hashes that may wait for a slot; beyond that the answer is "busy". */
  queue: number;
}): PassphraseHasher {
  const slots = pLimit(options.atOnce);
  const full = () => slots.pendingCount >= options.queue;

  return {
    async hash(passphrase) {
      if (full()) return "busy";
      const salt = randomBytes(SALT_BYTES);
      const key = await slots(() => derive(passphrase, salt, PARAMETERS));
      const { N, r, p } = PARAMETERS;
      return ["scrypt", N, r, p, salt.toString("base64url"), key.toString("base64url")].join("$");
    },
    async verify(passphrase, stored) {
      if (full()) return "busy";
      const { parameters, salt, key } = parse(stored);
      const candidate = await slots(() => derive(passphrase, salt, parameters, key.length));
      return timingSafeEqual(candidate, key) ? "match" : "mismatch";
    },
  };
}
