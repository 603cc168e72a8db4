// The SQLite side of owners: admission (locks and lockouts), owner actions and ownership passing
// on, each one immediate transaction, so it is decided on the room as it is when it commits.
import type Database from "better-sqlite3";
import type { Member, RoomState } from "@/lib/chat-events";
import { actionTarget, decideOwnerAction } from "./owner-rules";
import type { AppendResult, ChatStore, JoinOutcome, NewMessage } from "./types";

type Append = (message: NewMessage) => AppendResult | null;
type OwnerOps = Pick<ChatStore, "admitMember" | "ownerAction" | "passOwnership">;
type AddMember = (roomCode: string, member: Member, now: number) => JoinOutcome;

export function sqliteOwnerOps(
  db: Database.Database,
  append: Append,
  addMember: AddMember,
): OwnerOps {
  const q = {
    room: db.prepare<
      [string],
      { name: string; locked: number; owner_id: string | null; passphrase_hash: string | null }
    >("SELECT name, locked, owner_id, passphrase_hash FROM rooms WHERE code = ?"),
    member: db.prepare<[string, string], Member & { address: string | null }>(
      "SELECT user_id AS userId, name, address FROM members WHERE room_code = ? AND user_id = ?",
    ),
    lockedOut: db.prepare<[{ roomCode: string; userId: string; address: string; now: number }]>(
      `SELECT 1 FROM room_bans WHERE room_code = @roomCode
         AND (user_id = @userId OR (address = @address AND until > @now)) LIMIT 1`,
    ),
    setAddress: db.prepare<[string, string, string]>(
      "UPDATE members SET address = ? WHERE room_code = ? AND user_id = ?",
    ),
    setState: db.prepare<[{ code: string; name: string; locked: number; ownerId: string | null }]>(
      "UPDATE rooms SET name = @name, locked = @locked, owner_id = @ownerId WHERE code = @code",
    ),
    removeMember: db.prepare<[string, string]>(
      "DELETE FROM members WHERE room_code = ? AND user_id = ?",
    ),
    lockOut: db.prepare<[string, string | null, string | null, number | null]>(
      "INSERT INTO room_bans (room_code, user_id, address, until) VALUES (?, ?, ?, ?)",
    ),
    setPassphrase: db.prepare<[string | null, string]>(
      "UPDATE rooms SET passphrase_hash = ? WHERE code = ?",
    ),
    deleteRoom: db.prepare<[string]>("DELETE FROM rooms WHERE code = ?"),
    successor: db.prepare<[string], Member>(
      `SELECT user_id AS userId, name FROM members WHERE room_code = ?
       ORDER BY present DESC, joined_at, rowid LIMIT 1`,
    ),
  };

  function roomState(code: string): (RoomState & { passphraseHash: string | null }) | null {
    const row = q.room.get(code);
    if (!row) return null;
    const { name, owner_id: ownerId, passphrase_hash: passphraseHash } = row;
    const hasPassphrase = passphraseHash !== null;
    return { name, locked: row.locked === 1, ownerId, hasPassphrase, passphraseHash };
  }

  function notice(
    roomCode: string,
    kind: NewMessage["kind"],
    author: Member,
    body: string,
    now: number,
  ) {
    const stored = append({
      roomCode,
      clientId: null,
      kind,
      authorId: author.userId,
      authorName: author.name,
      body,
      createdAt: now,
    });
    return stored?.message ?? null;
  }

  /** What members may see: whether there is a passphrase, never its hash. */
  const publicState = ({ name, locked, ownerId, hasPassphrase }: RoomState): RoomState => ({
    name,
    locked,
    ownerId,
    hasPassphrase,
  });

  const admit = db.transaction(
    (roomCode: string, member: Member, address: string, hash: string | null, now: number) => {
      const room = roomState(roomCode);
      if (!room) return { admitted: false, reason: "room-gone" } as const;
      if (q.lockedOut.get({ roomCode, userId: member.userId, address, now }))
        return { admitted: false, reason: "removed" } as const;
      const isMember = q.member.get(roomCode, member.userId) !== undefined;
      if (room.locked && !isMember) return { admitted: false, reason: "locked" } as const;
      if (room.passphraseHash !== hash && !isMember)
        return { admitted: false, reason: "passphrase" } as const;
      const outcome = addMember(roomCode, member, now);
      q.setAddress.run(address, roomCode, member.userId);
      return { admitted: true, outcome } as const;
    },
  );

  const act = db.transaction(
    (
      roomCode: string,
      actorId: string,
      action: Parameters<OwnerOps["ownerAction"]>[2],
      now: number,
    ) => {
      const room = roomState(roomCode);
      if (!room) return { ok: false, reason: "room-gone" } as const;
      const targetId = actionTarget(action);
      const target = targetId ? q.member.get(roomCode, targetId) : undefined;
      const decision = decideOwnerAction(
        room,
        q.member.get(roomCode, actorId) ?? null,
        target ?? null,
        action,
      );
      if (!decision.ok) return decision;
      if (!decision.state) {
        q.deleteRoom.run(roomCode);
        return { ok: true, state: null, notice: null } as const;
      }
      if (decision.removes && action.type === "remove") {
        q.removeMember.run(roomCode, decision.removes.userId);
        q.lockOut.run(roomCode, decision.removes.userId, null, null);
        if (target?.address) q.lockOut.run(roomCode, null, target.address, action.lockoutUntil);
      }
      const { name, locked, ownerId } = decision.state;
      q.setState.run({ code: roomCode, name, locked: locked ? 1 : 0, ownerId });
      if (action.type === "passphrase") q.setPassphrase.run(action.hash, roomCode);
      const stored = decision.notice
        ? notice(roomCode, decision.notice.kind, decision.notice.author, decision.notice.body, now)
        : null;
      const removed = decision.removes && {
        userId: decision.removes.userId,
        name: decision.removes.name,
      };
      return {
        ok: true,
        state: publicState(decision.state),
        notice: stored,
        ...(removed ? { removed } : {}),
      } as const;
    },
  );

  const passOn = db.transaction((roomCode: string, fromUserId: string, now: number) => {
    const room = roomState(roomCode);
    if (!room || room.ownerId !== fromUserId || q.member.get(roomCode, fromUserId)) return null;
    const heir = q.successor.get(roomCode) ?? null;
    q.setState.run({
      code: roomCode,
      name: room.name,
      locked: room.locked ? 1 : 0,
      ownerId: heir?.userId ?? null,
    });
    return heir ? notice(roomCode, "owner-passed", heir, "", now) : null;
  });

  return {
    async admitMember(roomCode, member, address, passphraseHash, now) {
      return admit.immediate(roomCode, member, address, passphraseHash, now);
    },
    async ownerAction(roomCode, actorId, action, now) {
      return act.immediate(roomCode, actorId, action, now);
    },
    async passOwnership(roomCode, fromUserId, now) {
      return passOn.immediate(roomCode, fromUserId, now);
    },
  };
}
