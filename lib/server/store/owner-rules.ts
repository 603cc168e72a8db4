// What an owner's action does to a room, decided once for every store: who may act, on whom, and
// which notice the room's history records. Stores run it inside the transaction that holds the
// room's row, so of two actions at once the second is decided on what the first left.
import type { Member, MessageKind, OwnerAction, OwnerRefusal, RoomState } from "@/lib/chat-events";

/**
 * The action with what only the server knows: when an address lockout ends, and the passphrase's
 * hash in place of the passphrase (null clears it).
 */
export type StoredOwnerAction =
  | Exclude<OwnerAction, { type: "remove" } | { type: "passphrase" }>
  | { type: "remove"; userId: string; lockoutUntil: number }
  | { type: "passphrase"; hash: string | null };

export type OwnerDecision =
  | { ok: false; reason: OwnerRefusal }
  | {
      ok: true;
      /** The room afterwards; null when it is deleted. */
      state: RoomState | null;
      /** The member to remove (and lock out). */
      removes?: Member;
      /** The notice to append; none when nothing changed (locking a locked room). */
      notice?: { kind: MessageKind; author: Member; body: string };
    };

export function decideOwnerAction(
  room: RoomState,
  actor: Member | null,
  target: Member | null,
  action: StoredOwnerAction,
): OwnerDecision {
  if (!actor || room.ownerId !== actor.userId) return { ok: false, reason: "not-owner" };
  switch (action.type) {
    case "name":
      if (action.name === room.name) return { ok: true, state: room };
      return {
        ok: true,
        state: { ...room, name: action.name },
        notice: { kind: "room-named", author: actor, body: action.name },
      };
    case "lock":
      if (action.locked === room.locked) return { ok: true, state: room };
      return {
        ok: true,
        state: { ...room, locked: action.locked },
        notice: { kind: action.locked ? "room-locked" : "room-unlocked", author: actor, body: "" },
      };
    case "passphrase":
      if (action.hash === null && !room.hasPassphrase) return { ok: true, state: room };
      return {
        ok: true,
        state: { ...room, hasPassphrase: action.hash !== null },
        notice: {
          kind: action.hash === null ? "passphrase-removed" : "passphrase-set",
          author: actor,
          body: "",
        },
      };
    case "remove":
    case "hand-over":
      if (!target || target.userId === actor.userId) return { ok: false, reason: "no-such-member" };
      return action.type === "remove"
        ? {
            ok: true,
            state: room,
            removes: target,
            notice: { kind: "member-removed", author: actor, body: target.name },
          }
        : {
            ok: true,
            state: { ...room, ownerId: target.userId },
            notice: { kind: "owner-handed-over", author: actor, body: target.name },
          };
    case "delete":
      return { ok: true, state: null };
  }
}

/** The target of an action, if it names one. */
export function actionTarget(action: StoredOwnerAction): string | undefined {
  return action.type === "remove" || action.type === "hand-over" ? action.userId : undefined;
}
