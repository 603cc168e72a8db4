// Start-up environment: `.env*` files as Next reads them, plus a session secret made on first run.
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadEnvConfig } from "@next/env";

/**
 * Loads `.env.local` and friends into `process.env`. When no SESSION_SECRET is set anywhere,
 * makes a strong one and appends it to `.env.local`, so sessions survive restarts.
 * Returns a line for the log when it did.
 */
export function loadEnvironment(
  dir: string,
  dev: boolean,
  onError: (message: string) => void,
): string | null {
  // Runs before the configuration (and so the logger) exists: the caller says where errors go.
  loadEnvConfig(dir, dev, { info: () => {}, error: onError });
  if (process.env.SESSION_SECRET) return null;

  const secret = randomBytes(32).toString("base64url");
  const file = path.join(dir, ".env.local");
  const existing = existsSync(file) ? readFileSync(file, "utf8") : "";
  const separator = existing === "" || existing.endsWith("\n") ? "" : "\n";
  appendFileSync(
    file,
    `${separator}# Generated on first start: seals session cookies. Keep it secret.\nSESSION_SECRET=${secret}\n`,
    {
      mode: 0o600,
    },
  );
  process.env.SESSION_SECRET = secret;
  return `No SESSION_SECRET was set: generated a new one and saved it to ${file}`;
}
