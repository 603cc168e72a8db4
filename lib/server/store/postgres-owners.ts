// The PostgreSQL side of owners: admission (locks and lockouts), owner actions and ownership
// passing on. Each locks the room's row FOR UPDATE first, which waits for appends (they hold it
// FOR NO KEY UPDATE) and makes them wait, so across nodes a removal and a send, or two owner
// actions, happen one after the other and the second is decided on what the first left.
import type { Pool, PoolClient } from "pg";
import type { ChatMessage, Member, MessageKind, RoomState } from "@/lib/chat-events";
import { actionTarget, decideOwnerAction } from "./owner-rules";
import type { AppendResult, ChatStore, NewMessage } from "./types";

type OwnerOps = Pick<ChatStore, "admitMember" | "ownerAction" | "passOwnership">;

export interface PostgresPrimitives {
  inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T>;
  appendWith(client: PoolClient, message: NewMessage): Promise<AppendResult | null>;
  /** The store's own addMember (name rules and all), run after the admission check. */
  addMember: ChatStore["addMember"];
}

export function postgresOwnerOps(pool: Pool, primitives: PostgresPrimitives): OwnerOps {
  const { inTransaction, appendWith, addMember } = primitives;

  async function lockRoom(client: PoolClient, code: string): Promise<RoomState | null> {
    const { rows } = await client.query<RoomState>(
      `SELECT name, locked, owner_id AS "ownerId" FROM rooms WHERE code = $1 FOR UPDATE`,
      [code],
    );
    return rows[0] ?? null;
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
    async admitMember(roomCode, newcomer, address, now) {
      // Checked, then joined: a lock landing between the two lets this one join in (no half state).
      const refusal = await inTransaction(pool, async (client) => {
        const room = await lockRoom(client, roomCode);
        if (!room) return "room-gone" as const;
        const lockedOut = await client.query(
          `SELECT 1 FROM room_bans WHERE room_code = $1
             AND (user_id = $2 OR (address = $3 AND until > $4)) LIMIT 1`,
          [roomCode, newcomer.userId, address, now],
        );
        if (lockedOut.rowCount) return "removed" as const;
        if (room.locked && !(await member(client, roomCode, newcomer.userId)))
          return "locked" as const;
        return null;
      });
      if (refusal) return { admitted: false, reason: refusal };
      const outcome = await addMember(roomCode, newcomer, now);
      await pool.query("UPDATE members SET address = $3 WHERE room_code = $1 AND user_id = $2", [
        roomCode,
        newcomer.userId,
        address,
      ]);
      return { admitted: true, outcome };
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
        const stored = decision.notice
          ? await notice(client, roomCode, decision.notice, now)
          : null;
        return { ok: true, state: decision.state, notice: stored, ...(removed ? { removed } : {}) };
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
