// The PostgreSQL side of owners: admission (locks and lockouts), owner actions and ownership
// passing on. Each locks the room's row FOR UPDATE first, which waits for appends (they hold it
// FOR NO KEY UPDATE) and makes them wait, so across nodes a removal and a send, or two owner
// actions, happen one after the other and the second is decided on what the first left.
import type { Pool, PoolClient } from "pg";
import type { ChatMessage, Member, MessageKind, RoomState } from "@/lib/chat-events";
import { actionTarget, decideOwnerAction } from "./owner-rules";
import type { Admission, AppendResult, ChatStore, JoinOutcome, NewMessage } from "./types";

type OwnerOps = Pick<ChatStore, "admitMember" | "ownerAction" | "passOwnership">;

export interface PostgresPrimitives {
  inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T>;
  appendWith(client: PoolClient, message: NewMessage): Promise<AppendResult | null>;
  /** The store's own addMember (name rules and all), in the admission's transaction. */
  addMemberWith(
    client: PoolClient,
    roomCode: string,
    member: Member,
    now: number,
  ): Promise<JoinOutcome>;
  /** A look-alike name was taken at the same moment: the transaction failed on a unique index. */
  isNameClash(error: unknown): boolean;
}

export function postgresOwnerOps(pool: Pool, primitives: PostgresPrimitives): OwnerOps {
  const { inTransaction, appendWith, addMemberWith, isNameClash } = primitives;

  async function lockRoom(
    client: PoolClient,
    code: string,
  ): Promise<(RoomState & { passphraseHash: string | null }) | null> {
    const { rows } = await client.query<{
      name: string;
      locked: boolean;
      ownerId: string | null;
      passphraseHash: string | null;
    }>(
      `SELECT name, locked, owner_id AS "ownerId", passphrase_hash AS "passphraseHash"
       FROM rooms WHERE code = $1 FOR UPDATE`,
      [code],
    );
    const row = rows[0];
    return row ? { ...row, hasPassphrase: row.passphraseHash !== null } : null;
  }

  async function member(client: PoolClient, roomCode: string, userId: string | undefined) {
    if (userId === undefined) return null;
    const { rows } = await client.query<Member & { address: string | null }>(
      `SELECT user_id AS "userId", name, address FROM members WHERE room_code = $1 AND user_id = $2`,
      [roomCode, userId],
    );
    return rows[0] ?? null;
  }

  async function setState(client: PoolClient, code: string, state: RoomState): Promise<void> {
    await client.query("UPDATE rooms SET name = $2, locked = $3, owner_id = $4 WHERE code = $1", [
      code,
      state.name,
      state.locked,
      state.ownerId,
    ]);
  }

  async function notice(
    client: PoolClient,
    roomCode: string,
    notice: { kind: MessageKind; author: Member; body: string },
    now: number,
  ): Promise<ChatMessage | null> {
    const stored = await appendWith(client, {
      roomCode,
      clientId: null,
      kind: notice.kind,
      authorId: notice.author.userId,
      authorName: notice.author.name,
      body: notice.body,
      createdAt: now,
    });
    return stored?.message ?? null;
  }

  return {
    async admitMember(roomCode, newcomer, address, passphraseHash, now) {
      // Checked and joined in one transaction holding the room's row: a lock, removal or new
      // passphrase committed first refuses this join; one committed after it finds them a member.
      try {
        return await inTransaction(pool, async (client): Promise<Admission> => {
          const room = await lockRoom(client, roomCode);
          if (!room) return { admitted: false, reason: "room-gone" };
          const lockedOut = await client.query(
            `SELECT 1 FROM room_bans WHERE room_code = $1
               AND (user_id = $2 OR (address = $3 AND until > $4)) LIMIT 1`,
            [roomCode, newcomer.userId, address, now],
          );
          if (lockedOut.rowCount) return { admitted: false, reason: "removed" };
          const isMember = (await member(client, roomCode, newcomer.userId)) !== null;
          if (room.locked && !isMember) return { admitted: false, reason: "locked" };
          if (room.passphraseHash !== passphraseHash && !isMember)
            return { admitted: false, reason: "passphrase" };
          const outcome = await addMemberWith(client, roomCode, newcomer, now);
          await client.query(
            "UPDATE members SET address = $3 WHERE room_code = $1 AND user_id = $2",
            [roomCode, newcomer.userId, address],
          );
          return { admitted: true, outcome };
        });
      } catch (error) {
        if (isNameClash(error)) return { admitted: true, outcome: { kind: "name-taken" } };
        throw error;
      }
    },

    ownerAction(roomCode, actorId, action, now) {
      return inTransaction(pool, async (client) => {
        const room = await lockRoom(client, roomCode);
        if (!room) return { ok: false, reason: "room-gone" };
        const target = await member(client, roomCode, actionTarget(action));
        const actor = await member(client, roomCode, actorId);
        const decision = decideOwnerAction(room, actor, target, action);
        if (!decision.ok) return decision;
        if (!decision.state) {
          await client.query("DELETE FROM rooms WHERE code = $1", [roomCode]);
          return { ok: true, state: null, notice: null };
        }
        const removed = decision.removes && {
          userId: decision.removes.userId,
          name: decision.removes.name,
        };
        if (removed && action.type === "remove") {
          await client.query("DELETE FROM members WHERE room_code = $1 AND user_id = $2", [
            roomCode,
            removed.userId,
          ]);
          await client.query(
            `INSERT INTO room_bans (room_code, user_id, address, until)
             VALUES ($1, $2, NULL, NULL), ($1, NULL, $3, $4)`,
            [roomCode, removed.userId, target?.address ?? null, action.lockoutUntil],
          );
        }
        await setState(client, roomCode, decision.state);
        if (action.type === "passphrase")
          await client.query("UPDATE rooms SET passphrase_hash = $2 WHERE code = $1", [
            roomCode,
            action.hash,
          ]);
        const stored = decision.notice
          ? await notice(client, roomCode, decision.notice, now)
          : null;
        const { name, locked, ownerId, hasPassphrase } = decision.state;
        const state = { name, locked, ownerId, hasPassphrase };
        return { ok: true, state, notice: stored, ...(removed ? { removed } : {}) };
      });
    },

    passOwnership(roomCode, fromUserId, now) {
      return inTransaction(pool, async (client) => {
        const room = await lockRoom(client, roomCode);
        if (!room || room.ownerId !== fromUserId || (await member(client, roomCode, fromUserId)))
          return null;
        const { rows } = await client.query<Member>(
          `SELECT user_id AS "userId", name FROM members WHERE room_code = $1
           ORDER BY present DESC, joined_at, user_id LIMIT 1`,
          [roomCode],
        );
        const heir = rows[0] ?? null;
        await setState(client, roomCode, { ...room, ownerId: heir?.userId ?? null });
        return heir
          ? notice(client, roomCode, { kind: "owner-passed", author: heir, body: "" }, now)
          : null;
      });
    },
  };
}
