// The session cookie: who a person is (a random id and a display name) and which room they joined.
import { unsealData, type SessionOptions } from "iron-session";
import { z } from "zod";
import type { Config } from "./config";

export const SESSION_COOKIE = "roomcode_session";

export interface SessionData {
  userId?: string;
  name?: string;
  roomCode?: string;
}

/** A session that names a person in a room; anything less is no session for the socket layer. */
const roomSessionSchema = z.object({
  userId: z.string().min(1),
  name: z.string().min(1),
  roomCode: z.string().min(1),
});
export type RoomSession = z.infer<typeof roomSessionSchema>;

/** iron-session's password map: the highest id seals, every id unseals (secret rotation). */
export function sessionPasswords(config: Pick<Config, "sessionSecrets">): Record<string, string> {
  const count = config.sessionSecrets.length;
  return Object.fromEntries(
    config.sessionSecrets.map((secret, index) => [String(count - index), secret]),
  );
}

export function sessionOptions(
  config: Pick<Config, "sessionSecrets" | "sessionMaxAgeSeconds">,
  secure: boolean,
): SessionOptions {
  return {
    cookieName: SESSION_COOKIE,
    password: sessionPasswords(config),
    ttl: config.sessionMaxAgeSeconds,
    cookieOptions: { httpOnly: true, sameSite: "lax", secure, path: "/" },
  };
}

export function readCookie(cookieHeader: string | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const separator = part.indexOf("=");
    if (separator > 0 && part.slice(0, separator).trim() === name) {
      try {
        return decodeURIComponent(part.slice(separator + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * The room session in a request's cookies, or null. iron-session answers `{}` for a tampered,
 * expired or foreign seal rather than throwing, so the shape check is what rejects them.
 */
export async function readRoomSession(
  cookieHeader: string | undefined,
  config: Pick<Config, "sessionSecrets" | "sessionMaxAgeSeconds">,
): Promise<RoomSession | null> {
  const seal = readCookie(cookieHeader, SESSION_COOKIE);
  if (!seal || seal.length > 4096) return null;
  try {
    const data = await unsealData<SessionData>(seal, {
      password: sessionPasswords(config),
      ttl: config.sessionMaxAgeSeconds,
    });
    const parsed = roomSessionSchema.safeParse(data);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
