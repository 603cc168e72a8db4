// The owner's controls over the socket: name, lock, remove, hand over, passphrase, delete. The
// store decides with the room's row locked and the actor's role as stored, so a crafted event from
// anyone else, or from an owner who just handed the room over, is refused with a reason and
// logged. The decision and its notice's broadcast take the room's turn in the message log.
import {
  OWNER_REFUSALS,
  type OwnerAction,
  type OwnerRefusal,
  type Result,
  type RoomState,
} from "@/lib/chat-events";
import { firstIssue } from "@/lib/validation";
import type { InFlight } from "../in-flight";
import type { Logger } from "../logger";
import type { PassphraseHasher } from "../passphrase";
import type { RateLimiter } from "../rate-limit";
import type { ChatStore } from "../store/types";
import type { StoredOwnerAction } from "../store/owner-rules";
import type { RoomMembership } from "./membership";
import type { MessageLog } from "./message-log";
import { ownerActionSchema } from "./payloads";
import type { ChatSocket } from "./types";

export interface OwnerActionDeps {
  store: ChatStore;
  membership: RoomMembership;
  messageLog: MessageLog;
  passphrases: PassphraseHasher;
  inFlight: InFlight;
  /** One token per action, keyed by socket. */
  limiter: RateLimiter;
  /** How long a removed member's address stays locked out of the room. */
  removalLockoutMs: number;
  log: Logger;
  onError: (error: unknown, step: string, socketId?: string) => void;
}

type OwnerResult = Result<{ state: RoomState | null }>;

export function registerOwnerActions(socket: ChatSocket, deps: OwnerActionDeps): void {
  const { store, membership, messageLog, inFlight, limiter, removalLockoutMs, log } = deps;
  const { roomCode, userId } = socket.data;

  function refused(action: string, reason: OwnerRefusal | "busy"): OwnerResult {
    log.warn({ roomCode, userId, socketId: socket.id, action, reason }, "owner action refused");
    return reason === "busy"
      ? { ok: false, code: "busy", error: "The server is busy. Try again in a moment." }
      : { ok: false, code: reason, error: OWNER_REFUSALS[reason] };
  }

  /** The action as stored: a removal's lockout end, a passphrase's hash (never the passphrase). */
  async function stored(action: OwnerAction, now: number): Promise<StoredOwnerAction | "busy"> {
    if (action.type === "remove") return { ...action, lockoutUntil: now + removalLockoutMs };
    if (action.type !== "passphrase") return action;
    if (action.passphrase === null) return { type: "passphrase", hash: null };
    const hash = await deps.passphrases.hash(action.passphrase);
    return hash === "busy" ? hash : { type: "passphrase", hash };
  }

  async function act(payload: unknown): Promise<OwnerResult> {
    const parsed = ownerActionSchema.safeParse(payload);
    if (!parsed.success) return { ok: false, code: "invalid", error: firstIssue(parsed.error) };
    const allowance = await limiter.take(socket.id);
    if (!allowance.allowed) {
      const wait = Math.max(1, allowance.retryAfterSeconds);
      return { ok: false, code: "rate-limited", error: `Too fast. Try again in ${wait} s.` };
    }
    const type = parsed.data.type;
    // Hashing is slow on purpose: a member who is not the owner does not get to start one. The
    // store decides again on the stored role.
    if (type === "passphrase" && (await store.getRoom(roomCode))?.ownerId !== userId)
      return refused(type, "not-owner");
    const now = Date.now();
    const action = await stored(parsed.data, now);
    if (action === "busy") return refused(type, "busy");
    const outcome = await inFlight.run(() =>
      messageLog.exclusive(roomCode, async () => {
        const outcome = await store.ownerAction(roomCode, userId, action, now);
        if (outcome.ok && outcome.state && outcome.notice)
          membership.ownerNotice(roomCode, outcome.notice, outcome.state);
        return outcome;
      }),
    );
    if (!outcome.ok) return refused(type, outcome.reason);
    log.info({ roomCode, userId, action: type }, "owner action");
    if (outcome.state === null) {
      await membership.deleted(roomCode);
      return { ok: true, state: null };
    }
    if (outcome.removed) await membership.removed(roomCode, outcome.removed.userId);
    return { ok: true, state: outcome.state };
  }

  socket.on("owner:action", (payload, ack) => {
    if (typeof ack !== "function") return;
    act(payload).then(ack, (error: unknown) => {
      deps.onError(error, "owner:action", socket.id);
      ack({ ok: false, code: "unavailable", error: "The server could not do that. Try again." });
    });
  });
}
