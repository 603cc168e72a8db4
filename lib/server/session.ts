// The session cookie: who a person is (a random id and a display name) and which rooms they joined.
// Sealed with iron-session; the newest secret seals and every configured secret unseals (rotation).
import { createHash } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import { z } from "zod";
import type { Config } from "./config";

export const SESSION_COOKIE = "roomcode_session";

type SessionConfig = Pick<Config, "sessionSecrets" | "sessionMaxAgeSeconds">;

/**
 * Rooms one browser may be a member of at once. Each costs the cookie about 10 bytes sealed
 * (a 20-room cookie measures ~0.6 KB, a full one ~1 KB, far from the browsers' 4 KB), and the
 * home page one store row.
 */
export const MAX_SESSION_ROOMS = 50;

const roomCodeField = z.string().min(1).max(20);

const sessionSchema = z.preprocess(
  // Cookies sealed before several rooms per person held one `roomCode`: keep those members in.
  (data) =>
    data && typeof data === "object" && "roomCode" in data && !("rooms" in data)
      ? { ...data, rooms: [data.roomCode] }
      : data,
  z.object({
    userId: z.string().min(1).max(100).optional(),
    name: z.string().min(1).max(100).optional(),
    /** Codes of the rooms this browser joined, oldest first. */
    rooms: z.array(roomCodeField).max(MAX_SESSION_ROOMS).optional(),
  }),
);
export type SessionData = z.output<typeof sessionSchema>;

/** A session that names a person in a room; anything less is no session for the socket layer. */
export interface RoomSession {
  userId: string;
  roomCode: string;
}

/** The session's rooms with `roomCode` last (the newest), or without it. */
export function withRoom(rooms: readonly string[] | undefined, roomCode: string): string[] {
  return [...withoutRoom(rooms, roomCode), roomCode];
}

export function withoutRoom(rooms: readonly string[] | undefined, roomCode: string): string[] {
  return (rooms ?? []).filter((code) => code !== roomCode);
}

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

/**
 * The person and room a socket handshake asks for, or null. The page names its room; a client
 * that names none (scripts, older pages) gets the session's room when it has exactly one.
 */
export async function readRoomSession(
  cookieHeader: string | undefined,
  config: SessionConfig,
  roomCode?: string,
): Promise<RoomSession | null> {
  const { userId, rooms = [] } = await unsealSession(
    readCookie(cookieHeader, SESSION_COOKIE),
    config,
  );
  const chosen = roomCode ?? (rooms.length === 1 ? rooms[0] : undefined);
  if (!userId || !chosen || !rooms.includes(chosen)) return null;
  return { userId, roomCode: chosen };
}
