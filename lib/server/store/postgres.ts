// The PostgreSQL store, for several nodes sharing one database.
import { Pool, TypeOverrides, types, type PoolClient } from "pg";
import { UNREAD_COUNT_CAP, type ChatMessage, type Member } from "@/lib/chat-events";
import type { Logger } from "../logger";
import {
  INSERT_COLUMNS,
  insertValues,
  MESSAGE_SELECT,
  planAppend,
  storedMessage,
  targetColumns,
  toMemberRoom,
  toMessage,
  type AppendPlan,
  type MemberRoomRow,
  type MessageRow,
} from "./message-row";
import { nameKeys } from "../names/name-keys";
import { backfillNameKeys } from "./name-keys-backfill";
import type {
  AppendAnswer,
  AppendResult,
  ChatStore,
  JoinOutcome,
  NewMessage,
  RoomMember,
  Room,
} from "./types";
import { postgresOwnerOps } from "./postgres-owners";

/** Each entry upgrades the schema by one version, recorded in `schema_migrations`. */
export const postgresMigrations: ReadonlyArray<string | ((client: PoolClient) => Promise<void>)> = [
  `CREATE TABLE rooms (
     code TEXT PRIMARY KEY,
     created_at BIGINT NOT NULL,
     last_active_at BIGINT NOT NULL,
     last_seq BIGINT NOT NULL DEFAULT 0
   );
   CREATE INDEX rooms_last_active_at ON rooms (last_active_at);
   CREATE TABLE messages (
     id UUID PRIMARY KEY,
     room_code TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
     seq BIGINT NOT NULL,
     client_id TEXT,
     kind TEXT NOT NULL CHECK (kind IN ('text', 'joined', 'left')),
     author_id TEXT NOT NULL,
     author_name TEXT NOT NULL,
     body TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     UNIQUE (room_code, seq),
     -- NULLs are distinct, so server notices (no client id) never collide.
     UNIQUE (room_code, client_id)
   );
   CREATE TABLE members (
     room_code TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
     user_id TEXT NOT NULL,
     name TEXT NOT NULL,
     present BOOLEAN NOT NULL DEFAULT false,
     seen_at BIGINT NOT NULL,
     PRIMARY KEY (room_code, user_id)
   );
   CREATE INDEX members_present_seen_at ON members (seen_at) WHERE present;`,
  `ALTER TABLE messages ADD COLUMN attachments TEXT;`,
  // Notice kinds are checked by the app (the contract lists them), so adding one needs no migration.
  // Owners, room names and locks; join order (ownership passes to the longest present); read
  // positions (unread counts on the home page); people removed from a room, kept out of it.
  `ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_kind_check;
   ALTER TABLE rooms ADD COLUMN name TEXT NOT NULL DEFAULT '';
   ALTER TABLE rooms ADD COLUMN locked BOOLEAN NOT NULL DEFAULT false;
   ALTER TABLE rooms ADD COLUMN owner_id TEXT;
   ALTER TABLE members ADD COLUMN joined_at BIGINT NOT NULL DEFAULT 0;
   ALTER TABLE members ADD COLUMN read_seq BIGINT NOT NULL DEFAULT 0;
   ALTER TABLE members ADD COLUMN address TEXT;
   UPDATE members SET joined_at = seen_at;
   UPDATE rooms SET owner_id = (
     SELECT user_id FROM members WHERE members.room_code = rooms.code ORDER BY joined_at, user_id LIMIT 1
   );
   CREATE INDEX members_user_id ON members (user_id);
   CREATE TABLE room_bans (
     room_code TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
     user_id TEXT,
     address TEXT,
     until BIGINT
   );
   CREATE INDEX room_bans_room_code ON room_bans (room_code);`,
  // A message's key is (room_code, seq); the random UUID was one more index to write per message.
  `ALTER TABLE messages
     DROP CONSTRAINT messages_pkey,
     DROP COLUMN id,
     DROP CONSTRAINT messages_room_code_seq_key,
     ADD CONSTRAINT messages_pkey PRIMARY KEY (room_code, seq);`,
  // Names stay unique per room under two look-alike keys (lib/server/names); absences are announced once.
  `ALTER TABLE members ADD COLUMN away_announced BOOLEAN NOT NULL DEFAULT false,
     ADD COLUMN name_folded TEXT, ADD COLUMN name_shaped TEXT;`,
  async (client) => {
    const { rows } = await client.query<{ room_code: string; user_id: string; name: string }>(
      "SELECT room_code, user_id, name FROM members ORDER BY room_code, present DESC, seen_at DESC",
    );
    for (const row of backfillNameKeys(rows)) {
      await client.query(
        "UPDATE members SET name_folded = $3, name_shaped = $4 WHERE room_code = $1 AND user_id = $2",
        [row.room_code, row.user_id, row.folded, row.shaped],
      );
    }
  },
  `CREATE UNIQUE INDEX members_name_folded ON members (room_code, name_folded);
   CREATE UNIQUE INDEX members_name_shaped ON members (room_code, name_shaped);
   CREATE INDEX members_absent_seen_at ON members (seen_at) WHERE NOT present AND NOT away_announced;`,
  // The owner's passphrase, as an scrypt hash with its salt and parameters (lib/server/passphrase).
  `ALTER TABLE rooms ADD COLUMN passphrase_hash TEXT;`,
  // Replies, and relation events (edits, deletes, reactions) applied to their target's row.
  `ALTER TABLE messages ADD COLUMN relates_to BIGINT, ADD COLUMN reply_to BIGINT,
     ADD COLUMN edited_at BIGINT, ADD COLUMN deleted_seq BIGINT, ADD COLUMN reactions TEXT,
     ADD COLUMN version BIGINT;
   CREATE INDEX messages_relates_to ON messages (room_code, relates_to) WHERE relates_to IS NOT NULL;`,
];

/** A unique index on a name key refused a write: someone else took a look-alike name first. */
const isNameClash = (error: unknown) =>
  (error as { code?: string; constraint?: string }).code === "23505" &&
  /^members_name_/.test((error as { constraint?: string }).constraint ?? "");

async function nameTaken(
  client: Pool | PoolClient,
  roomCode: string,
  name: string,
  userId: string,
): Promise<boolean> {
  const { folded, shaped } = nameKeys(name);
  const { rowCount } = await client.query(
    "SELECT 1 FROM members WHERE room_code = $1 AND user_id <> $2 AND (name_folded = $3 OR name_shaped = $4) LIMIT 1",
    [roomCode, userId, folded, shaped],
  );
  return (rowCount ?? 0) > 0;
}

export interface PostgresStoreOptions {
  connectionString: string;
  /** Tables live in this schema, created when missing; the default is the server's search_path. */
  schema?: string;
  log: Logger;
}

export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

// Times in ms and sequences stay far below 2^53; a per-pool parser leaves other pg users alone.
export function bigintsAsNumbers(): TypeOverrides {
  const overrides = new TypeOverrides();
  overrides.setTypeParser(types.builtins.INT8, (value: string) => Number(value));
  return overrides;
}

export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A connection that cannot even roll back is discarded rather than returned to the pool.
    await client.query("ROLLBACK").catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

export async function ensureSchema(client: PoolClient, schema: string): Promise<void> {
  const existing = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
  // CREATE SCHEMA checks its privilege even with IF NOT EXISTS, so a schema made by an admin is left alone.
  if (existing.rowCount === 0) await client.query(`CREATE SCHEMA ${schema}`);
}

async function migrate(pool: Pool, schema: string | undefined): Promise<void> {
  await inTransaction(pool, async (client) => {
    // Nodes starting together queue here; the lock ends with the transaction.
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [
      `roomcode-chat migrations ${schema ?? ""}`,
    ]);
    if (schema) await ensureSchema(client, schema);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version INTEGER PRIMARY KEY,
         applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number }>(
      "SELECT COALESCE(MAX(version), 0)::int AS version FROM schema_migrations",
    );
    const version = rows[0]?.version ?? 0;
    if (version > postgresMigrations.length) {
      throw new Error(
        `The database schema is at version ${version}, newer than this build knows (${postgresMigrations.length}): refusing to start.`,
      );
    }
    for (const [index, step] of postgresMigrations.entries()) {
      if (index < version) continue;
      if (typeof step === "string") await client.query(step);
      else await step(client);
      await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [index + 1]);
    }
  });
}

async function messageWhere(
  client: PoolClient,
  condition: string,
  values: unknown[],
): Promise<MessageRow | undefined> {
  const { rows } = await client.query<MessageRow>(`${MESSAGE_SELECT} WHERE ${condition}`, values);
  return rows[0];
}

const byClientId = (client: PoolClient, message: NewMessage) =>
  messageWhere(client, "m.room_code = $1 AND m.client_id = $2", [
    message.roomCode,
    message.clientId,
  ]);

const bySeq = (client: PoolClient, roomCode: string, seq: number | undefined) =>
  seq === undefined
    ? undefined
    : messageWhere(client, "m.room_code = $1 AND m.seq = $2", [roomCode, seq]);

/** A reply or relation event is decided on its targets, unless it is a retry of a stored one. */
async function plan(client: PoolClient, message: NewMessage, seq: number): Promise<AppendPlan> {
  if (message.replyTo === undefined && message.relatesTo === undefined) return {};
  if (message.clientId !== null) {
    const stored = await byClientId(client, message);
    // The insert below finds the same conflict and answers with the stored copy.
    if (stored) return {};
  }
  const [replied, related] = await Promise.all([
    bySeq(client, message.roomCode, message.replyTo),
    bySeq(client, message.roomCode, message.relatesTo),
  ]);
  return planAppend(message, seq, replied, related);
}

async function applyToTarget(client: PoolClient, roomCode: string, target: ChatMessage) {
  const columns = targetColumns(target);
  await client.query(
    `UPDATE messages SET body = $3, edited_at = $4, deleted_seq = $5, reactions = $6,
       attachments = $7, version = $8
     WHERE room_code = $1 AND seq = $2`,
    [
      roomCode,
      target.seq,
      columns.body,
      columns.editedAt,
      columns.deletedSeq,
      columns.reactions,
      columns.attachments,
      columns.version,
    ],
  );
  // A deleted message's earlier wordings go with it.
  if (target.deleted)
    await client.query(
      "UPDATE messages SET body = '' WHERE room_code = $1 AND relates_to = $2 AND kind = 'edit'",
      [roomCode, target.seq],
    );
}

/** One append inside a transaction that holds its room's row lock. */
async function appendLocked(
  client: PoolClient,
  message: NewMessage,
  seq: number,
): Promise<AppendAnswer> {
  const planned = await plan(client, message, seq);
  if (planned.refused) return { refused: planned.refused };
  // The sequence only advances when the row goes in, so a retry leaves no gap.
  const inserted = await client.query<MessageRow>(
    `WITH inserted AS (
       INSERT INTO messages (room_code, ${INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (room_code, client_id) DO NOTHING
       RETURNING room_code, seq, created_at
     ), advanced AS (
       UPDATE rooms SET last_seq = inserted.seq, last_active_at = GREATEST(rooms.last_active_at, inserted.created_at)
       FROM inserted WHERE rooms.code = inserted.room_code
     )
     SELECT seq FROM inserted`,
    [message.roomCode, ...insertValues(message, seq)],
  );
  if (inserted.rowCount === 1) {
    if (planned.target) await applyToTarget(client, message.roomCode, planned.target);
    return {
      message: storedMessage(message, seq, planned.quote),
      duplicate: false,
      ...(planned.removedFiles && { removedFiles: planned.removedFiles }),
    };
  }

  const storedRow = await byClientId(client, message);
  if (!storedRow)
    throw new Error(`Message ${message.clientId} conflicted but could not be read back.`);
  return { message: toMessage(storedRow), duplicate: true };
}

/** No reply and no relation: nothing to decide on other rows, so a run of them is one statement. */
const isPlain = (message: NewMessage) =>
  message.replyTo === undefined && message.relatesTo === undefined;

interface PlainOutcome {
  /** Refused: the room is gone or the author must be a member and is not. */
  outcome: "stored" | "refused" | "duplicate";
  seq: number | null;
}

/**
 * Plain messages in one statement, in the order given: refused as above; a client id stored
 * before, or earlier in the batch, is a duplicate; the rest take their rooms' next sequence
 * numbers (no gaps) and move the rooms on. Run with the rooms' rows locked.
 */
const APPEND_PLAIN = `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
      $7::bigint[], $8::text[], $9::boolean[]) WITH ORDINALITY
      AS t(room_code, client_id, kind, author_id, author_name, body, created_at, attachments,
        require_member, ord)
  ), checked AS (
    SELECT input.*, rooms.last_seq,
      CASE
        WHEN rooms.code IS NULL THEN 'refused'
        WHEN input.require_member AND NOT EXISTS (SELECT 1 FROM members
          WHERE members.room_code = input.room_code AND members.user_id = input.author_id)
          THEN 'refused'
        WHEN input.client_id IS NOT NULL AND (
          EXISTS (SELECT 1 FROM messages
            WHERE messages.room_code = input.room_code AND messages.client_id = input.client_id)
          OR row_number() OVER (PARTITION BY input.room_code, input.client_id ORDER BY input.ord) > 1)
          THEN 'duplicate'
        ELSE 'stored'
      END AS outcome
    FROM input LEFT JOIN rooms ON rooms.code = input.room_code
  ), numbered AS (
    SELECT checked.*, last_seq + row_number() OVER (PARTITION BY room_code ORDER BY ord) AS seq
    FROM checked WHERE outcome = 'stored'
  ), inserted AS (
    INSERT INTO messages (room_code, ${INSERT_COLUMNS})
    SELECT room_code, seq, client_id, kind, author_id, author_name, body, created_at, attachments,
      NULL, NULL
    FROM numbered
  ), advanced AS (
    UPDATE rooms SET last_seq = newest.seq,
      last_active_at = GREATEST(rooms.last_active_at, newest.created_at)
    FROM (SELECT room_code, max(seq) AS seq, max(created_at) AS created_at
          FROM numbered GROUP BY room_code) AS newest
    WHERE rooms.code = newest.room_code
  )
  SELECT checked.outcome, numbered.seq
  FROM checked LEFT JOIN numbered USING (ord) ORDER BY checked.ord`;

async function appendPlain(
  client: PoolClient,
  messages: readonly NewMessage[],
): Promise<AppendAnswer[]> {
  // The values of a single insert (client id to attachments), one array per column.
  const inserts = messages.map((message) => insertValues(message, 0));
  const { rows } = await client.query<PlainOutcome>(APPEND_PLAIN, [
    messages.map((message) => message.roomCode),
    ...[1, 2, 3, 4, 5, 6, 7].map((index) => inserts.map((values) => values[index])),
    messages.map((message) => message.requireMember === true),
  ]);
  const answers: AppendAnswer[] = [];
  /** The first of each client id in this batch, for a repeat later in it. */
  const firsts = new Map<string, ChatMessage>();
  for (const [index, message] of messages.entries()) {
    const row = rows[index];
    const key = `${message.roomCode} ${message.clientId}`;
    if (!row || row.outcome === "refused") {
      answers.push(null);
    } else if (row.outcome === "stored" && row.seq !== null) {
      const stored = storedMessage(message, row.seq);
      if (message.clientId !== null) firsts.set(key, stored);
      answers.push({ message: stored, duplicate: false });
    } else {
      const earlier = firsts.get(key);
      const storedRow = earlier ? undefined : await byClientId(client, message);
      if (!earlier && !storedRow)
        throw new Error(`Message ${message.clientId} conflicted but could not be read back.`);
      answers.push({ message: earlier ?? toMessage(storedRow!), duplicate: true });
    }
  }
  return answers;
}

/** A reply or relation event, its room's row already locked. */
async function appendDecided(client: PoolClient, message: NewMessage): Promise<AppendAnswer> {
  const room = await client.query<{ last_seq: number }>(
    "SELECT last_seq FROM rooms WHERE code = $1",
    [message.roomCode],
  );
  const lastSeq = room.rows[0]?.last_seq;
  if (lastSeq === undefined || (message.requireMember && !(await isMember(client, message))))
    return null;
  return appendLocked(client, message, lastSeq + 1);
}

/** A removal holds the room's row until it commits, so under that lock this sees it. */
async function isMember(client: PoolClient, message: NewMessage): Promise<boolean> {
  const member = await client.query("SELECT 1 FROM members WHERE room_code = $1 AND user_id = $2", [
    message.roomCode,
    message.authorId,
  ]);
  return member.rowCount === 1;
}

/** Appends a notice inside the caller's transaction (see ChatStore.appendMessage). */
async function appendWith(client: PoolClient, message: NewMessage): Promise<AppendResult | null> {
  const room = await client.query<{ last_seq: number }>(
    "SELECT last_seq FROM rooms WHERE code = $1 FOR NO KEY UPDATE",
    [message.roomCode],
  );
  const lastSeq = room.rows[0]?.last_seq;
  if (lastSeq === undefined) return null;
  const answer = await appendLocked(client, message, lastSeq + 1);
  // Notices relate to nothing, so they are never refused.
  return answer && "refused" in answer ? null : answer;
}

/**
 * `addMember` inside the caller's transaction. A look-alike name taken at the same moment fails
 * the transaction with a unique violation (`isNameClash`): the caller answers "name-taken".
 */
async function addMemberWith(
  client: PoolClient,
  roomCode: string,
  member: Member,
  now: number,
): Promise<JoinOutcome> {
  const { folded, shaped } = nameKeys(member.name);
  const before = await client.query<{ name: string }>(
    "SELECT name FROM members WHERE room_code = $1 AND user_id = $2 FOR UPDATE",
    [roomCode, member.userId],
  );
  const previousName = before.rows[0]?.name;
  if (previousName === member.name) return { kind: "unchanged" };
  if (await nameTaken(client, roomCode, member.name, member.userId)) return { kind: "name-taken" };
  if (previousName === undefined) {
    const inserted = await client.query(
      `INSERT INTO members (room_code, user_id, name, name_folded, name_shaped, present, seen_at, joined_at)
       VALUES ($1, $2, $3, $4, $5, true, $6, $6) ON CONFLICT (room_code, user_id) DO NOTHING`,
      [roomCode, member.userId, member.name, folded, shaped, now],
    );
    // Of two tabs joining at once only one reports the arrival.
    if (inserted.rowCount !== 1) return { kind: "unchanged" };
    // The first member of a room without an owner (its creator) owns it.
    await client.query("UPDATE rooms SET owner_id = $2 WHERE code = $1 AND owner_id IS NULL", [
      roomCode,
      member.userId,
    ]);
    return { kind: "joined" };
  }
  await client.query(
    `UPDATE members SET name = $3, name_folded = $4, name_shaped = $5,
       present = true, seen_at = $6, away_announced = false
     WHERE room_code = $1 AND user_id = $2`,
    [roomCode, member.userId, member.name, folded, shaped, now],
  );
  return { kind: "renamed", previousName };
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<ChatStore> {
  const { connectionString, schema, log } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(
      `Invalid PostgreSQL schema name "${schema}": use lowercase letters, digits and underscores.`,
    );
  }
  const pool = new Pool({
    connectionString,
    types: bigintsAsNumbers(),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle connection dropped by the server is replaced on next use; unhandled, it would crash the process.
  pool.on("error", (error) =>
    log.error({ err: error, step: "postgres idle connection" }, "PostgreSQL connection failed"),
  );

  try {
    await migrate(pool, schema);
  } catch (error) {
    await pool.end();
    throw error;
  }

  let ending: Promise<void> | undefined;

  async function appendMessages(messages: readonly NewMessage[]): Promise<AppendAnswer[]> {
    if (messages.length === 0) return [];
    return inTransaction(pool, async (client) => {
      // The row locks serialise appends to a room across every node until commit; taken in
      // code order, so two nodes' batches cannot deadlock. What follows reads after the locks
      // are held, so it sees every earlier append and removal.
      const codes = [...new Set(messages.map((message) => message.roomCode))].sort();
      await client.query(
        "SELECT 1 FROM rooms WHERE code = ANY($1::text[]) ORDER BY code FOR NO KEY UPDATE",
        [codes],
      );
      // Runs of plain messages go in one statement each; a reply or relation event is decided
      // on the rows it refers to, one at a time, in its place.
      const answers: AppendAnswer[] = [];
      let start = 0;
      while (start < messages.length) {
        let end = start;
        while (end < messages.length && isPlain(messages[end]!)) end++;
        if (end > start) {
          answers.push(...(await appendPlain(client, messages.slice(start, end))));
          start = end;
        } else {
          answers.push(await appendDecided(client, messages[start]!));
          start++;
        }
      }
      return answers;
    });
  }

  const store: Omit<ChatStore, "admitMember" | "ownerAction" | "passOwnership"> = {
    async ping() {
      await pool.query("SELECT 1");
    },

    async createRoom(code, now) {
      const result = await pool.query(
        "INSERT INTO rooms (code, created_at, last_active_at) VALUES ($1, $2, $2) ON CONFLICT DO NOTHING",
        [code, now],
      );
      return result.rowCount === 1;
    },

    async getRoom(code): Promise<Room | null> {
      const { rows } = await pool.query<Room>(
        `SELECT code, created_at AS "createdAt", last_active_at AS "lastActiveAt", name, locked,
           owner_id AS "ownerId", passphrase_hash IS NOT NULL AS "hasPassphrase"
         FROM rooms WHERE code = $1`,
        [code],
      );
      return rows[0] ?? null;
    },

    async passphraseHash(code) {
      const { rows } = await pool.query<{ hash: string | null }>(
        "SELECT passphrase_hash AS hash FROM rooms WHERE code = $1",
        [code],
      );
      return rows[0]?.hash ?? null;
    },

    appendMessages,

    async appendMessage(message) {
      return (await appendMessages([message]))[0] ?? null;
    },

    async latestMessages(roomCode, limit) {
      const { rows } = await pool.query<MessageRow>(
        `${MESSAGE_SELECT} WHERE m.room_code = $1 ORDER BY m.seq DESC LIMIT $2`,
        [roomCode, limit],
      );
      return rows.reverse().map(toMessage);
    },

    async messagesBefore(roomCode, beforeSeq, limit) {
      const { rows } = await pool.query<MessageRow>(
        `${MESSAGE_SELECT} WHERE m.room_code = $1 AND m.seq < $2 ORDER BY m.seq DESC LIMIT $3`,
        [roomCode, beforeSeq, limit],
      );
      return rows.reverse().map(toMessage);
    },

    async messagesAfter(roomCode, afterSeq, limit) {
      const { rows } = await pool.query<MessageRow>(
        `${MESSAGE_SELECT} WHERE m.room_code = $1 AND m.seq > $2 ORDER BY m.seq ASC LIMIT $3`,
        [roomCode, afterSeq, limit],
      );
      return rows.map(toMessage);
    },

    async addMember(roomCode, member, now): Promise<JoinOutcome> {
      try {
        return await inTransaction(pool, (client) => addMemberWith(client, roomCode, member, now));
      } catch (error) {
        if (isNameClash(error)) return { kind: "name-taken" };
        throw error;
      }
    },

    async isNameTaken(roomCode, name, userId) {
      return nameTaken(pool, roomCode, name, userId);
    },

    async removeMember(roomCode, userId) {
      const { rowCount } = await pool.query(
        "DELETE FROM members WHERE room_code = $1 AND user_id = $2",
        [roomCode, userId],
      );
      return rowCount === 1;
    },

    async countMembers(roomCode) {
      const { rows } = await pool.query<{ count: string }>(
        "SELECT count(*) AS count FROM members WHERE room_code = $1",
        [roomCode],
      );
      return Number(rows[0]?.count ?? 0);
    },

    async getMember(roomCode, userId): Promise<Member | null> {
      const { rows } = await pool.query<Member>(
        `SELECT user_id AS "userId", name FROM members WHERE room_code = $1 AND user_id = $2`,
        [roomCode, userId],
      );
      return rows[0] ?? null;
    },

    async markPresent(roomCode, userId, now) {
      // The locked read sees the row before the update, so only one of two racing tabs gets news.
      const { rows } = await pool.query<{ was_away: boolean }>(
        `WITH before AS (
           SELECT away_announced FROM members WHERE room_code = $1 AND user_id = $2 AND NOT present FOR UPDATE
         )
         UPDATE members SET present = true, seen_at = $3, away_announced = false
         FROM before WHERE room_code = $1 AND user_id = $2
         RETURNING before.away_announced AS was_away`,
        [roomCode, userId, now],
      );
      const row = rows[0];
      return row ? (row.was_away ? "away" : "absent") : null;
    },

    async markAbsent(roomCode, userId, now) {
      const result = await pool.query(
        "UPDATE members SET present = false, seen_at = $3, away_announced = false WHERE room_code = $1 AND user_id = $2 AND present",
        [roomCode, userId, now],
      );
      return result.rowCount === 1;
    },

    async claimAwayNotices(absentBefore) {
      const { rows } = await pool.query<RoomMember>(
        `UPDATE members SET away_announced = true
         WHERE (room_code, user_id) IN (
           SELECT room_code, user_id FROM members
           WHERE NOT present AND NOT away_announced AND seen_at < $1
           FOR UPDATE SKIP LOCKED
         )
         RETURNING room_code AS "roomCode", user_id AS "userId", name`,
        [absentBefore],
      );
      return rows;
    },

    async presentMembers(roomCode) {
      const { rows } = await pool.query<Member>(
        `SELECT user_id AS "userId", name FROM members WHERE room_code = $1 AND present ORDER BY lower(name), user_id`,
        [roomCode],
      );
      return rows;
    },

    async memberRooms(userId, roomCodes) {
      const { rows } = await pool.query<MemberRoomRow>(
        `SELECT r.code, r.name,
           (SELECT created_at FROM messages WHERE room_code = r.code ORDER BY seq DESC LIMIT 1) AS last_message_at,
           (SELECT COUNT(*) FROM (
              SELECT 1 FROM messages msg
              WHERE msg.room_code = r.code AND msg.seq > m.read_seq AND msg.kind = 'text' AND msg.author_id <> m.user_id
              LIMIT $3) AS capped) AS unread
         FROM members m JOIN rooms r ON r.code = m.room_code
         WHERE m.user_id = $1 AND m.room_code = ANY($2::text[])`,
        [userId, roomCodes, UNREAD_COUNT_CAP],
      );
      return rows.map(toMemberRoom);
    },

    async markRead(roomCode, userId, seq) {
      await pool.query(
        `UPDATE members SET read_seq = LEAST($3, (SELECT last_seq FROM rooms WHERE code = $1))
         WHERE room_code = $1 AND user_id = $2 AND read_seq < $3`,
        [roomCode, userId, seq],
      );
    },

    async staleMembers(seenBefore) {
      const { rows } = await pool.query<RoomMember>(
        `SELECT room_code AS "roomCode", user_id AS "userId", name FROM members WHERE present AND seen_at < $1`,
        [seenBefore],
      );
      return rows;
    },

    async touchPresence(rooms, now) {
      if (rooms.size === 0) return;
      const roomCodes = [...rooms.keys()];
      const memberRooms = [...rooms].flatMap(([roomCode, userIds]) => userIds.map(() => roomCode));
      const memberIds = [...rooms.values()].flat();
      await inTransaction(pool, async (client) => {
        // Rows are locked in key order, so heartbeats from two nodes cannot deadlock each other.
        await client.query(
          `UPDATE rooms SET last_active_at = GREATEST(last_active_at, $2)
           WHERE code IN (SELECT code FROM rooms WHERE code = ANY($1::text[]) ORDER BY code FOR NO KEY UPDATE)`,
          [roomCodes, now],
        );
        if (memberIds.length === 0) return;
        await client.query(
          `UPDATE members SET seen_at = $3
           WHERE (room_code, user_id) IN (
             SELECT m.room_code, m.user_id FROM members m
             JOIN unnest($1::text[], $2::text[]) AS t(room_code, user_id)
               ON m.room_code = t.room_code AND m.user_id = t.user_id
             ORDER BY m.room_code, m.user_id FOR NO KEY UPDATE OF m
           )`,
          [memberRooms, memberIds, now],
        );
      });
    },

    async deleteIdleRooms(idleBefore) {
      // Rooms locked by an append, a join or a heartbeat are in use: skip them instead of waiting.
      const { rows } = await pool.query<{ code: string }>(
        `DELETE FROM rooms WHERE code IN (
           SELECT code FROM rooms
           WHERE last_active_at < $1
             AND NOT EXISTS (SELECT 1 FROM members WHERE members.room_code = rooms.code AND members.present)
           FOR UPDATE SKIP LOCKED
         )
         RETURNING code`,
        [idleBefore],
      );
      return rows.map((row) => row.code);
    },

    async close() {
      ending ??= pool.end();
      await ending;
    },
  };
  return {
    ...store,
    ...postgresOwnerOps(pool, { inTransaction, appendWith, addMemberWith, isNameClash }),
  };
}
