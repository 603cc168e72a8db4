// The embedded default store: one SQLite file in WAL mode, no service to run.
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { UNREAD_COUNT_CAP, type Member } from "@/lib/chat-events";
import {
  INSERT_COLUMNS,
  insertValues,
  MESSAGE_SELECT,
  planAppend,
  storedMessage,
  targetColumns,
  toMemberRoom,
  toMessage,
  type MemberRoomRow,
  type MessageRow,
} from "./message-row";
import { nameKeys } from "../names/name-keys";
import { backfillNameKeys } from "./name-keys-backfill";
import {
  ACTIVITY_RESOLUTION_MS,
  isRefused,
  type AppendAnswer,
  type ChatStore,
  type JoinOutcome,
  type NewMessage,
  type Return,
  type RoomMember,
  type Room,
} from "./types";
import { sqliteOwnerOps } from "./sqlite-owners";

interface RoomRow {
  code: string;
  created_at: number;
  last_active_at: number;
  name: string;
  locked: number;
  owner_id: string | null;
  has_passphrase: number;
}

/** Each entry upgrades the schema by one version (`PRAGMA user_version`). */
export const sqliteMigrations: ReadonlyArray<string | ((db: Database.Database) => void)> = [
  `CREATE TABLE rooms (
     code TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     last_active_at INTEGER NOT NULL,
     last_seq INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE messages (
     id TEXT PRIMARY KEY,
     room_code TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     client_id TEXT,
     kind TEXT NOT NULL,
     author_id TEXT NOT NULL,
     author_name TEXT NOT NULL,
     body TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     UNIQUE (room_code, seq)
   );
   CREATE UNIQUE INDEX messages_client_id ON messages (room_code, client_id) WHERE client_id IS NOT NULL;
   CREATE TABLE members (
     room_code TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
     user_id TEXT NOT NULL,
     name TEXT NOT NULL,
     present INTEGER NOT NULL DEFAULT 0,
     seen_at INTEGER NOT NULL,
     PRIMARY KEY (room_code, user_id)
   );
   CREATE INDEX members_present ON members (present, seen_at);`,
  `ALTER TABLE messages ADD COLUMN attachments TEXT;`,
  // Owners, room names and locks; join order (ownership passes to the longest present); read
  // positions (unread counts on the home page); people removed from a room, kept out of it.
  `ALTER TABLE rooms ADD COLUMN name TEXT NOT NULL DEFAULT '';
   ALTER TABLE rooms ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE rooms ADD COLUMN owner_id TEXT;
   ALTER TABLE members ADD COLUMN joined_at INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE members ADD COLUMN read_seq INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE members ADD COLUMN address TEXT;
   UPDATE members SET joined_at = seen_at;
   UPDATE rooms SET owner_id = (
     SELECT user_id FROM members WHERE members.room_code = rooms.code ORDER BY rowid LIMIT 1
   );
   CREATE INDEX members_user_id ON members (user_id);
   CREATE TABLE room_bans (
     room_code TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
     user_id TEXT,
     address TEXT,
     until INTEGER
   );
   CREATE INDEX room_bans_room_code ON room_bans (room_code);`,
  // Messages keyed by (room, seq) on an integer rowid instead of a random TEXT id: an append
  // writes the table's last page and two index pages, and the room row only when its activity
  // moves on; the next sequence number is the room's highest plus one.
  `CREATE TABLE messages_by_seq (
     room_code TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     client_id TEXT,
     kind TEXT NOT NULL,
     author_id TEXT NOT NULL,
     author_name TEXT NOT NULL,
     body TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     attachments TEXT,
     UNIQUE (room_code, seq)
   );
   INSERT INTO messages_by_seq (room_code, seq, client_id, kind, author_id, author_name, body, created_at, attachments)
     SELECT room_code, seq, client_id, kind, author_id, author_name, body, created_at, attachments
     FROM messages ORDER BY room_code, seq;
   DROP TABLE messages;
   ALTER TABLE messages_by_seq RENAME TO messages;
   CREATE UNIQUE INDEX messages_client_id ON messages (room_code, client_id) WHERE client_id IS NOT NULL;
   ALTER TABLE rooms DROP COLUMN last_seq;`,
  // Names stay unique per room under two look-alike keys (lib/server/names); absences are announced once.
  `ALTER TABLE members ADD COLUMN away_announced INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE members ADD COLUMN name_folded TEXT;
   ALTER TABLE members ADD COLUMN name_shaped TEXT;`,
  (db) => {
    const rows = db
      .prepare<[], { room_code: string; user_id: string; name: string }>(
        "SELECT room_code, user_id, name FROM members ORDER BY room_code, present DESC, seen_at DESC",
      )
      .all();
    const update = db.prepare(
      "UPDATE members SET name_folded = ?, name_shaped = ? WHERE room_code = ? AND user_id = ?",
    );
    for (const row of backfillNameKeys(rows))
      update.run(row.folded, row.shaped, row.room_code, row.user_id);
  },
  `CREATE UNIQUE INDEX members_name_folded ON members (room_code, name_folded);
   CREATE UNIQUE INDEX members_name_shaped ON members (room_code, name_shaped);`,
  // The owner's passphrase, as an scrypt hash with its salt and parameters (lib/server/passphrase).
  `ALTER TABLE rooms ADD COLUMN passphrase_hash TEXT;`,
  // Replies, and relation events (edits, deletes, reactions) applied to their target's row.
  `ALTER TABLE messages ADD COLUMN relates_to INTEGER;
   ALTER TABLE messages ADD COLUMN reply_to INTEGER;
   ALTER TABLE messages ADD COLUMN edited_at INTEGER;
   ALTER TABLE messages ADD COLUMN deleted_seq INTEGER;
   ALTER TABLE messages ADD COLUMN reactions TEXT;
   ALTER TABLE messages ADD COLUMN version INTEGER;
   CREATE INDEX messages_relates_to ON messages (room_code, relates_to) WHERE relates_to IS NOT NULL;`,
];

function migrate(db: Database.Database): void {
  // Read the version under the write lock, so two processes opening a new file do not both migrate it.
  db.transaction(() => {
    const version = db.pragma("user_version", { simple: true }) as number;
    sqliteMigrations.slice(version).forEach((step, index) => {
      if (typeof step === "string") db.exec(step);
      else step(db);
      db.pragma(`user_version = ${version + index + 1}`);
    });
  }).immediate();
}

export function openSqliteStore(file: string): ChatStore {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // In WAL mode NORMAL loses nothing on a process crash, only on power loss; it saves an fsync per message.
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);

  const q = {
    insertRoom: db.prepare(
      "INSERT INTO rooms (code, created_at, last_active_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    ),
    getRoom: db.prepare<[string], RoomRow>(
      "SELECT code, created_at, last_active_at, name, locked, owner_id, passphrase_hash IS NOT NULL AS has_passphrase FROM rooms WHERE code = ?",
    ),
    passphraseHash: db.prepare<[string], { passphrase_hash: string | null }>(
      "SELECT passphrase_hash FROM rooms WHERE code = ?",
    ),
    isMember: db.prepare<[string, string], { one: number }>(
      "SELECT 1 AS one FROM members WHERE room_code = ? AND user_id = ?",
    ),
    byClientId: db.prepare<[string, string], MessageRow>(
      `${MESSAGE_SELECT} WHERE m.room_code = ? AND m.client_id = ?`,
    ),
    bySeq: db.prepare<[string, number], MessageRow>(
      `${MESSAGE_SELECT} WHERE m.room_code = ? AND m.seq = ?`,
    ),
    updateTarget: db.prepare(
      `UPDATE messages SET body = @body, edited_at = @editedAt, deleted_seq = @deletedSeq,
         reactions = @reactions, attachments = @attachments, version = @version
       WHERE room_code = @roomCode AND seq = @seq`,
    ),
    // A deleted message's earlier wordings go with it.
    blankEdits: db.prepare<[string, number]>(
      "UPDATE messages SET body = '' WHERE room_code = ? AND relates_to = ? AND kind = 'edit'",
    ),
    activity: db.prepare<[string], { last_active_at: number }>(
      "SELECT last_active_at FROM rooms WHERE code = ?",
    ),
    lastSeq: db
      .prepare<[string], number | null>("SELECT MAX(seq) FROM messages WHERE room_code = ?")
      .pluck(),
    insertMessage: db.prepare(
      `INSERT INTO messages (room_code, ${INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    latest: db.prepare<[string, number], MessageRow>(
      `${MESSAGE_SELECT} WHERE m.room_code = ? ORDER BY m.seq DESC LIMIT ?`,
    ),
    before: db.prepare<[string, number, number], MessageRow>(
      `${MESSAGE_SELECT} WHERE m.room_code = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`,
    ),
    after: db.prepare<[string, number, number], MessageRow>(
      `${MESSAGE_SELECT} WHERE m.room_code = ? AND m.seq > ? ORDER BY m.seq ASC LIMIT ?`,
    ),
    memberState: db.prepare<
      [string, string],
      { name: string; present: number; away_announced: number }
    >("SELECT name, present, away_announced FROM members WHERE room_code = ? AND user_id = ?"),
    insertMember: db.prepare(
      `INSERT INTO members (room_code, user_id, name, name_folded, name_shaped, present, seen_at, joined_at)
       VALUES (@roomCode, @userId, @name, @folded, @shaped, 1, @now, @now)`,
    ),
    renameMember: db.prepare(
      `UPDATE members SET name = @name, name_folded = @folded, name_shaped = @shaped,
         present = 1, seen_at = @now, away_announced = 0
       WHERE room_code = @roomCode AND user_id = @userId`,
    ),
    nameTaken: db.prepare<[string, string, string, string], { taken: number }>(
      "SELECT 1 AS taken FROM members WHERE room_code = ? AND user_id <> ? AND (name_folded = ? OR name_shaped = ?) LIMIT 1",
    ),
    // The first member of a room without an owner (its creator) owns it.
    claimOwner: db.prepare<[string, string]>(
      "UPDATE rooms SET owner_id = ? WHERE code = ? AND owner_id IS NULL",
    ),
    removeMember: db.prepare<[string, string], { present: number }>(
      "DELETE FROM members WHERE room_code = ? AND user_id = ? RETURNING present",
    ),
    countMembers: db.prepare<[string], { count: number }>(
      "SELECT count(*) AS count FROM members WHERE room_code = ?",
    ),
    getMember: db.prepare<[string, string], Member>(
      "SELECT user_id AS userId, name FROM members WHERE room_code = ? AND user_id = ?",
    ),
    markPresent: db.prepare(
      "UPDATE members SET present = 1, seen_at = ?, away_announced = 0 WHERE room_code = ? AND user_id = ?",
    ),
    markAbsent: db.prepare(
      "UPDATE members SET present = 0, seen_at = ?, away_announced = 0 WHERE room_code = ? AND user_id = ? AND present = 1",
    ),
    claimAway: db.prepare<[number], RoomMember>(
      `UPDATE members SET away_announced = 1 WHERE present = 0 AND away_announced = 0 AND seen_at < ?
       RETURNING room_code AS roomCode, user_id AS userId, name`,
    ),
    present: db.prepare<[string], Member>(
      "SELECT user_id AS userId, name FROM members WHERE room_code = ? AND present = 1 ORDER BY name COLLATE NOCASE",
    ),
    memberRooms: db.prepare<[{ userId: string; codes: string; cap: number }], MemberRoomRow>(
      `SELECT r.code, r.name,
         (SELECT created_at FROM messages WHERE room_code = r.code ORDER BY seq DESC LIMIT 1) AS last_message_at,
         (SELECT COUNT(*) FROM (
            SELECT 1 FROM messages msg
            WHERE msg.room_code = r.code AND msg.seq > m.read_seq AND msg.kind = 'text' AND msg.author_id <> m.user_id
            LIMIT @cap)) AS unread
       FROM members m JOIN rooms r ON r.code = m.room_code
       WHERE m.user_id = @userId AND m.room_code IN (SELECT value FROM json_each(@codes))`,
    ),
    markRead: db.prepare<[{ seq: number; roomCode: string; userId: string }]>(
      `UPDATE members SET read_seq = MIN(@seq, (SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room_code = @roomCode))
       WHERE room_code = @roomCode AND user_id = @userId AND read_seq < @seq`,
    ),
    stale: db.prepare<[number], RoomMember>(
      "SELECT room_code AS roomCode, user_id AS userId, name FROM members WHERE present = 1 AND seen_at < ?",
    ),
    touchRoom: db.prepare(
      "UPDATE rooms SET last_active_at = MAX(last_active_at, ?) WHERE code = ?",
    ),
    touchMember: db.prepare("UPDATE members SET seen_at = ? WHERE room_code = ? AND user_id = ?"),
    deleteIdle: db.prepare<[number], { code: string }>(
      `DELETE FROM rooms WHERE last_active_at < ?
         AND NOT EXISTS (SELECT 1 FROM members WHERE members.room_code = rooms.code AND present = 1)
       RETURNING code`,
    ),
  };

  function appendOne(message: NewMessage): AppendAnswer {
    const { roomCode } = message;
    if (message.requireMember && !q.isMember.get(roomCode, message.authorId)) return null;
    if (message.clientId !== null) {
      const stored = q.byClientId.get(roomCode, message.clientId);
      if (stored) return { message: toMessage(stored), duplicate: true };
    }
    const room = q.activity.get(roomCode);
    if (!room) return null;
    const seq = (q.lastSeq.get(roomCode) ?? 0) + 1;
    const find = (target: number | undefined) =>
      target === undefined ? undefined : q.bySeq.get(roomCode, target);
    const plan = planAppend(message, seq, find(message.replyTo), find(message.relatesTo));
    if (plan.refused) return { refused: plan.refused };
    q.insertMessage.run(roomCode, ...insertValues(message, seq));
    if (plan.target) {
      q.updateTarget.run({ ...targetColumns(plan.target), roomCode, seq: plan.target.seq });
      if (plan.target.deleted) q.blankEdits.run(roomCode, plan.target.seq);
    }
    if (message.createdAt - room.last_active_at >= ACTIVITY_RESOLUTION_MS)
      q.touchRoom.run(message.createdAt, roomCode);
    const stored = storedMessage(message, seq, plan.quote);
    return {
      message: stored,
      duplicate: false,
      ...(plan.removedFiles && { removedFiles: plan.removedFiles }),
    };
  }
  const append = db.transaction((messages: readonly NewMessage[]) => messages.map(appendOne));

  const isNameTaken = (roomCode: string, name: string, userId: string): boolean => {
    const { folded, shaped } = nameKeys(name);
    return q.nameTaken.get(roomCode, userId, folded, shaped) !== undefined;
  };

  const addMember = db.transaction((roomCode: string, member: Member, now: number): JoinOutcome => {
    const before = q.memberState.get(roomCode, member.userId);
    if (before?.name === member.name) return { kind: "unchanged" };
    if (isNameTaken(roomCode, member.name, member.userId)) return { kind: "name-taken" };
    const row = { roomCode, ...member, ...nameKeys(member.name), now };
    if (!before) {
      q.insertMember.run(row);
      q.claimOwner.run(member.userId, roomCode);
      return { kind: "joined" };
    }
    q.renameMember.run(row);
    return { kind: "renamed", previousName: before.name };
  });

  const markPresent = db.transaction(
    (roomCode: string, userId: string, now: number): Return | null => {
      const before = q.memberState.get(roomCode, userId);
      if (!before || before.present === 1) return null;
      q.markPresent.run(now, roomCode, userId);
      return before.away_announced === 1 ? "away" : "absent";
    },
  );

  const touch = db.transaction((rooms: ReadonlyMap<string, readonly string[]>, now: number) => {
    for (const [roomCode, userIds] of rooms) {
      q.touchRoom.run(now, roomCode);
      for (const userId of userIds) q.touchMember.run(now, roomCode, userId);
    }
  });

  // The interface is async so that networked stores fit it; SQLite answers synchronously.
  return {
    async createRoom(code, now) {
      return q.insertRoom.run(code, now, now).changes === 1;
    },
    async getRoom(code): Promise<Room | null> {
      const row = q.getRoom.get(code);
      return row
        ? {
            code: row.code,
            createdAt: row.created_at,
            lastActiveAt: row.last_active_at,
            name: row.name,
            locked: row.locked === 1,
            ownerId: row.owner_id,
            hasPassphrase: row.has_passphrase === 1,
          }
        : null;
    },
    async passphraseHash(code) {
      return q.passphraseHash.get(code)?.passphrase_hash ?? null;
    },
    async appendMessage(message) {
      return append.immediate([message])[0] ?? null;
    },
    async appendMessages(messages) {
      // Immediate: a read-then-write transaction cannot upgrade its lock after another process wrote.
      return append.immediate(messages);
    },
    // Owners append notices only, which are never refused.
    ...sqliteOwnerOps(
      db,
      (message) => {
        const answer = appendOne(message);
        return isRefused(answer) ? null : answer;
      },
      addMember,
    ),
    async latestMessages(roomCode, limit) {
      return q.latest.all(roomCode, limit).reverse().map(toMessage);
    },
    async messagesBefore(roomCode, beforeSeq, limit) {
      return q.before.all(roomCode, beforeSeq, limit).reverse().map(toMessage);
    },
    async messagesAfter(roomCode, afterSeq, limit) {
      return q.after.all(roomCode, afterSeq, limit).map(toMessage);
    },
    async addMember(roomCode, member, now) {
      return addMember.immediate(roomCode, member, now);
    },
    async isNameTaken(roomCode, name, userId) {
      return isNameTaken(roomCode, name, userId);
    },
    async removeMember(roomCode, userId) {
      return q.removeMember.get(roomCode, userId) !== undefined;
    },
    async countMembers(roomCode) {
      return q.countMembers.get(roomCode)?.count ?? 0;
    },
    async getMember(roomCode, userId) {
      return q.getMember.get(roomCode, userId) ?? null;
    },
    async markPresent(roomCode, userId, now) {
      return markPresent.immediate(roomCode, userId, now);
    },
    async markAbsent(roomCode, userId, now) {
      return q.markAbsent.run(now, roomCode, userId).changes === 1;
    },
    async claimAwayNotices(absentBefore) {
      return q.claimAway.all(absentBefore);
    },
    async presentMembers(roomCode) {
      return q.present.all(roomCode);
    },
    async memberRooms(userId, roomCodes) {
      return q.memberRooms
        .all({ userId, codes: JSON.stringify(roomCodes), cap: UNREAD_COUNT_CAP })
        .map(toMemberRoom);
    },
    async markRead(roomCode, userId, seq) {
      q.markRead.run({ seq, roomCode, userId });
    },
    async staleMembers(seenBefore) {
      return q.stale.all(seenBefore);
    },
    async touchPresence(rooms, now) {
      touch(rooms, now);
    },
    async deleteIdleRooms(idleBefore) {
      return q.deleteIdle.all(idleBefore).map((row) => row.code);
    },
    async ping() {
      db.prepare("SELECT 1").get();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
