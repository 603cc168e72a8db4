// Creating and joining rooms: the domain behind the home page's two buttons.
import { generateRoomCode } from "@/lib/room-code";
import { displayNameSchema, firstIssue, roomCodeSchema } from "@/lib/validation";
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
}

export type EntryResult =
  | { ok: true; roomCode: string; name: string }
  /** `field`: the form field the error is about, where the form shows it. */
  | { ok: false; error: string; field?: "name" | "code" };

export interface EntryDeps {
  store: ChatStore;
  /** The guess budget: room creations and guesses at unknown codes, per address. */
  roomAttempts: RateLimiter;
  /** Joins of rooms one is not yet a member of, per address. */
  roomJoins: RateLimiter;
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
    return { ok: true, roomCode: await createRoom(store), name: name.data };
  }

  const code = roomCodeSchema.safeParse(request.code);
  if (!code.success) return { ok: false, error: firstIssue(code.error), field: "code" };
  const allowance = await roomAttempts.peek(request.ip);
  if (!allowance.allowed) return tooMany("attempts", allowance.retryAfterSeconds);
  if (!(await store.getRoom(code.data))) {
    await roomAttempts.take(request.ip);
    return { ok: false, error: "Room does not exist.", field: "code" };
  }
  if (await store.isNameTaken(code.data, name.data, request.userId))
    return { ok: false, error: nameTakenError(name.data), field: "name" };
  if (!(await store.getMember(code.data, request.userId))) {
    if ((await store.countMembers(code.data)) >= deps.membersPerRoom) {
      const seats = deps.membersPerRoom.toLocaleString("en");
      return { ok: false, error: `This room is full: it has ${seats} members, the most allowed.` };
    }
    const join = await roomJoins.take(request.ip);
    if (!join.allowed) return tooMany("people joining", join.retryAfterSeconds);
  }
  return { ok: true, roomCode: code.data, name: name.data };
}
