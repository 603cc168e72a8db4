// Creating and joining rooms: the domain behind the home page's two buttons.
import { generateRoomCode } from "@/lib/room-code";
import { displayNameSchema, firstIssue, roomCodeSchema } from "@/lib/validation";
import type { PassphraseHasher } from "./passphrase";
import type { RateLimiter } from "./rate-limit";
import type { ChatStore } from "./store/types";

/** With 31^6 ≈ 887 million codes a clash is rare; a few tries make it vanishingly so. */
const CODE_ATTEMPTS = 8;

export async function createRoom(store: ChatStore, now = Date.now()): Promise<string> {
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const code = generateRoomCode();
    if (await store.createRoom(code, now)) return code;
  }
  throw new Error(`No free room code after ${CODE_ATTEMPTS} attempts`);
}

/** The form's answer when another member's name reads the same. */
export const nameTakenError = (name: string) =>
  `Someone in this room is already called “${name}” (or a name that looks the same). Please choose another name.`;

export interface EntryRequest {
  intent: "create" | "join";
  name: string;
  code: string;
  userId: string;
  /** The client's address: creations and wrong guesses are limited per address. */
  ip: string;
  /** What was typed into the passphrase field; empty when there was none. */
  passphrase?: string;
}

export type EntryResult =
  /** `passphraseHash`: the room's passphrase as checked (null: none was needed). */
  | { ok: true; roomCode: string; name: string; passphraseHash: string | null }
  /** `field`: the form field the error is about, where the form shows it. */
  | { ok: false; error: string; field?: EntryField };

export type EntryField = "name" | "code" | "passphrase";

/** Said only to someone who has a valid code: a wrong code is "Room does not exist." */
export const PASSPHRASE_ERRORS = {
  missing: "This room needs a passphrase. Ask the person who invited you.",
  wrong: "Wrong passphrase.",
  changed: "The room's passphrase just changed. Ask the person who invited you for the new one.",
} as const;

export interface EntryDeps {
  store: ChatStore;
  /** The guess budget: room creations and guesses at unknown codes, per address. */
  roomAttempts: RateLimiter;
  /** Joins of rooms one is not yet a member of, per address. */
  roomJoins: RateLimiter;
  passphrases: PassphraseHasher;
  membersPerRoom: number;
}

function tooMany(what: string, retryAfterSeconds: number): EntryResult {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return {
    ok: false,
    error: `Too many ${what} from your network. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
  };
}

/**
 * Decides which room a person enters, with the home form's error messages. Every room creation
 * and every guess at an unknown code costs the address a token, and an address out of tokens may
 * not try any code, so the code space cannot be walked from one address. Joining as a newcomer
 * costs a join token and needs a free seat; a member joining again (a new name) needs neither.
 */
export async function chooseRoom(deps: EntryDeps, request: EntryRequest): Promise<EntryResult> {
  const { store, roomAttempts, roomJoins } = deps;
  const name = displayNameSchema.safeParse(request.name);
  if (!name.success) return { ok: false, error: firstIssue(name.error), field: "name" };

  if (request.intent === "create") {
    const attempt = await roomAttempts.take(request.ip);
    if (!attempt.allowed) return tooMany("attempts", attempt.retryAfterSeconds);
    return { ok: true, roomCode: await createRoom(store), name: name.data, passphraseHash: null };
  }

  const code = roomCodeSchema.safeParse(request.code);
  if (!code.success) return { ok: false, error: firstIssue(code.error), field: "code" };
  const allowance = await roomAttempts.peek(request.ip);
  if (!allowance.allowed) return tooMany("attempts", allowance.retryAfterSeconds);
  if (!(await store.getRoom(code.data))) {
    await roomAttempts.take(request.ip);
    return { ok: false, error: "Room does not exist.", field: "code" };
  }
  // Members are in already: a passphrase set later does not ask them again.
  let passphraseHash: string | null = null;
  const member = await store.getMember(code.data, request.userId);
  if (!member) {
    if ((await store.countMembers(code.data)) >= deps.membersPerRoom) {
      const seats = deps.membersPerRoom.toLocaleString("en");
      return { ok: false, error: `This room is full: it has ${seats} members, the most allowed.` };
    }
    passphraseHash = await store.passphraseHash(code.data);
    if (passphraseHash) {
      const refusal = await checkPassphrase(deps, request, passphraseHash);
      if (refusal) return refusal;
    }
  }
  // After the passphrase: "name taken" tells who is in, which only someone let in may learn.
  if (await store.isNameTaken(code.data, name.data, request.userId))
    return { ok: false, error: nameTakenError(name.data), field: "name" };
  if (!member) {
    const join = await roomJoins.take(request.ip);
    if (!join.allowed) return tooMany("people joining", join.retryAfterSeconds);
  }
  return { ok: true, roomCode: code.data, name: name.data, passphraseHash };
}

/**
 * Every try costs a guess from the same budget as a wrong code, taken before the hash runs, so
 * an address can make the server hash only as often as it may guess codes.
 */
async function checkPassphrase(
  deps: EntryDeps,
  request: EntryRequest,
  hash: string,
): Promise<EntryResult | null> {
  // Like "locked", the answer shows the room exists, so it costs a guess even with nothing to hash.
  const attempt = await deps.roomAttempts.take(request.ip);
  if (!attempt.allowed) return tooMany("attempts", attempt.retryAfterSeconds);
  if (!request.passphrase)
    return { ok: false, error: PASSPHRASE_ERRORS.missing, field: "passphrase" };
  const check = await deps.passphrases.verify(request.passphrase, hash);
  if (check === "busy")
    return { ok: false, error: "The server is busy. Try again in a moment.", field: "passphrase" };
  return check === "match"
    ? null
    : { ok: false, error: PASSPHRASE_ERRORS.wrong, field: "passphrase" };
}
