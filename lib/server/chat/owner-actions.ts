// The owner's controls over the socket: name, lock, remove, hand over, delete. The store decides
// with the room's row locked and the actor's role as stored, so a crafted event from anyone else,
// or from an owner who just handed the room over, is refused with a reason and logged.
import { OWNER_REFUSALS, type Result, type RoomState } from "@/lib/chat-events";
import { firstIssue } from "@/lib/validation";
import type { InFlight } from "../in-flight";
import type { Logger } from "../logger";
import type { RateLimiter } from "../rate-limit";
import type { ChatStore } from "../store/types";
import type { StoredOwnerAction } from "../store/owner-rules";
import type { RoomMembership } from "./membership";
import { ownerActionSchema } from "./payloads";
import type { ChatSocket } from "./types";

export interface OwnerActionDeps {
  store: ChatStore;
  membership: RoomMembership;
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
  const { store, membership, inFlight, limiter, removalLockoutMs, log, onError } = deps;
  const { roomCode, userId } = socket.data;

  async function act(payload: unknown): Promise<OwnerResult> {
    const parsed = ownerActionSchema.safeParse(payload);
    if (!parsed.success) return { ok: false, code: "invalid", error: firstIssue(parsed.error) };
    const allowance = await limiter.take(socket.id);
    if (!allowance.allowed) {
      const wait = Math.max(1, allowance.retryAfterSeconds);
      return { ok: false, code: "rate-limited", error: `Too fast. Try again in ${wait} s.` };
    }
    const now = Date.now();
    const action: StoredOwnerAction =
      parsed.data.type === "remove"
        ? { ...parsed.data, lockoutUntil: now + removalLockoutMs }
        : parsed.data;
    const outcome = await inFlight.run(() => store.ownerAction(roomCode, userId, action, now));
    if (!outcome.ok) {
      log.warn(
        { roomCode, userId, socketId: socket.id, action: action.type, reason: outcome.reason },
        "owner action refused",
      );
      return { ok: false, code: outcome.reason, error: OWNER_REFUSALS[outcome.reason] };
    }
    log.info({ roomCode, userId, action: action.type }, "owner action");
    if (outcome.state === null) {
      await membership.deleted(roomCode);
      return { ok: true, state: null };
    }
    if (outcome.notice) await membership.ownerNotice(roomCode, outcome.notice);
    if (outcome.removed) await membership.removed(roomCode, outcome.removed.userId);
    return { ok: true, state: outcome.state };
  }

  socket.on("owner:action", (payload, ack) => {
    if (typeof ack !== "function") return;
    act(payload).then(ack, (error: unknown) => {
      onError(error, "owner:action", socket.id);
      ack({ ok: false, code: "unavailable", error: "The server could not do that. Try again." });
    });
  });
}
