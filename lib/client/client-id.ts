/**
 * A random id for a message the user sends (its idempotency key). `crypto.randomUUID` exists only
 * on https or localhost pages, and people open this app at http://192.168.x.y: getRandomValues works everywhere.
 */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
