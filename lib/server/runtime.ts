// The server's live parts, shared between server.ts and the Next app. Next bundles app code
// separately from server.ts, so a module-level variable would exist twice; a global does not.
import type { Config } from "./config";
import type { Logger } from "./logger";
import type { RoomMembership } from "./chat/membership";
import type { PassphraseHasher } from "./passphrase";
import type { RateLimiter } from "./rate-limit";
import type { FileStore } from "./store/file-store";
import type { ChatStore } from "./store/types";

export interface Runtime {
  config: Config;
  log: Logger;
  store: ChatStore;
  /** Whatever deletes a room also calls `files.deleteRoom(code)`: files do not cascade. */
  files: FileStore;
  membership: RoomMembership;
  /** The one queue every passphrase hash waits in. */
  passphrases: PassphraseHasher;
  /** Room creations and guesses at unknown codes, per client address. */
  roomAttempts: RateLimiter;
  /** Joins as a newcomer, per client address. */
  roomJoins: RateLimiter;
}

const RUNTIME = Symbol.for("roomcode.runtime");
type WithRuntime = typeof globalThis & { [RUNTIME]?: Runtime };

export function setRuntime(runtime: Runtime | undefined): void {
  (globalThis as WithRuntime)[RUNTIME] = runtime;
}

export function getRuntime(): Runtime {
  const runtime = (globalThis as WithRuntime)[RUNTIME];
  if (!runtime)
    throw new Error(
      "The chat server is not running: start the app with `npm run dev` or `npm start`.",
    );
  return runtime;
}
