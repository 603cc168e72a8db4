// The session as server actions and pages see it (Next's request cookies and headers).
import "server-only";
import { cookies, headers } from "next/headers";
import { CLIENT_PROTOCOL_HEADER } from "./client-address";
import { getRuntime } from "./runtime";
import {
  SESSION_COOKIE,
  sealSession,
  sessionCookieOptions,
  unsealSession,
  type SessionData,
} from "./session";

/** Secure cookies only where the browser talks https to us (directly, or to a trusted proxy). */
async function isHttpsRequest(): Promise<boolean> {
  const requestHeaders = await headers();
  if (requestHeaders.get(CLIENT_PROTOCOL_HEADER) === "https") return true;
  return requestHeaders.get("origin")?.startsWith("https://") ?? false;
}

export async function getSession(): Promise<SessionData> {
  // Reading the request first marks the page dynamic, so `next build` never renders it without a server.
  const seal = (await cookies()).get(SESSION_COOKIE)?.value;
  return unsealSession(seal, getRuntime().config);
}

/** Only server actions may call this: pages cannot set cookies. */
export async function saveSession(data: SessionData): Promise<void> {
  const { config } = getRuntime();
  const secure = await isHttpsRequest();
  (await cookies()).set(
    SESSION_COOKIE,
    await sealSession(data, config),
    sessionCookieOptions(config, secure),
  );
}
