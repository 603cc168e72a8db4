// The session cookie: who a person is (a random id and a display name) and which room they joined.
// Sealed with iron-session; the newest secret seals and every configured secret unseals (rotation).
import { createHash } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import { z } from "zod";
import type { Config } from "./config";

export const SESSION_COOKIE = "roomcode_session";

type SessionConfig = Pick<Config, "sessionSecrets" | "sessionMaxAgeSeconds">;

const sessionSchema = z.object({
  userId: z.string().min(1).max(100).optional(),
  name: z.string().min(1).max(100).optional(),
  roomCode: z.string().min(1).max(20).optional(),
});
export type SessionData = z.infer<typeof sessionSchema>;

/** A session that names a person in a room; anything less is no session for the socket layer. */
const roomSessionSchema = z.object({
  userId: z.string().min(1),
  name: z.string().min(1),
  roomCode: z.string().min(1),
});
export type RoomSession = z.infer<typeof roomSessionSchema>;

/**
 * A seal records the id of the password that made it. Ids derived from the secret itself stay
 * the same when secrets are added or dropped, so rotation never strands a cookie.
 */
function passwordId(secret: string): string {
  return String(parseInt(createHash("sha256").update(secret).digest("hex").slice(0, 12), 16));
}

/** iron-session's password map: every configured secret, for unsealing. */
export function sessionPasswords(config: Pick<Config, "sessionSecrets">): Record<string, string> {
  return Object.fromEntries(config.sessionSecrets.map((secret) => [passwordId(secret), secret]));
}

export async function sealSession(data: SessionData, config: SessionConfig): Promise<string> {
  const current = config.sessionSecrets[0]!;
  return sealData(data, {
    password: { [passwordId(current)]: current },
    ttl: config.sessionMaxAgeSeconds,
  });
}

/**
 * The session in a seal, or `{}`. iron-session answers `{}` for a tampered, expired or foreign
 * seal rather than throwing; the shape check rejects anything else that is not ours.
 */
export async function unsealSession(
  seal: string | undefined,
  config: SessionConfig,
): Promise<SessionData> {
  if (!seal || seal.length > 4096) return {};
  try {
    const data = await unsealData(seal, {
      password: sessionPasswords(config),
      ttl: config.sessionMaxAgeSeconds,
    });
    return sessionSchema.safeParse(data).data ?? {};
  } catch {
    return {};
  }
}

export function sessionCookieOptions(config: SessionConfig, secure: boolean) {
  return {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    // Slightly shorter than the seal's own lifetime, so the browser drops it first.
    maxAge: Math.max(0, config.sessionMaxAgeSeconds - 60),
  } as const;
}

function readCookie(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const separator = part.indexOf("=");
    if (separator > 0 && part.slice(0, separator).trim() === name) {
      try {
        return decodeURIComponent(part.slice(separator + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The room session in a request's cookies (the socket handshake), or null. */
export async function readRoomSession(
  cookieHeader: string | undefined,
  config: SessionConfig,
): Promise<RoomSession | null> {
  const session = await unsealSession(readCookie(cookieHeader, SESSION_COOKIE), config);
  return roomSessionSchema.safeParse(session).data ?? null;
}
