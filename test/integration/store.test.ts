// One behavioural suite for the ChatStore contract, run against SQLite always and against
// PostgreSQL when DATABASE_URL points at a server.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MAX_REACTIONS_PER_MESSAGE,
  QUOTE_EXCERPT_LENGTH,
  UNREAD_COUNT_CAP,
} from "@/lib/chat-events";
import { generateRoomCode } from "@/lib/room-code";
import { createLogger } from "@/lib/server/logger";
import { openPostgresStore, postgresMigrations } from "@/lib/server/store/postgres";
import { openSqliteStore, sqliteMigrations } from "@/lib/server/store/sqlite";
import {
  isRefused,
  type AppendAnswer,
  type ChatStore,
  type NewMessage,
  type RoomMember,
} from "@/lib/server/store/types";

const testLog = createLogger({ logLevel: "silent" });
const DATABASE_URL = process.env.DATABASE_URL;

/** 2026-01-01 in ms: beyond 32 bits, so times only survive as real 64-bit integers. */
const T0 = 1_767_225_600_000;

interface Harness {
  name: string;
  /** PostgreSQL: the schema the store's tables are in. */
  schema?: string;
  available: boolean;
  /** Another handle on the same data: the store reopened, or for PostgreSQL another node. */
  open(): Promise<ChatStore>;
  /** A new database left at the first schema version holding `legacy`, then opened (migrated). */
  openUpgraded(legacy: LegacyRoom): Promise<ChatStore>;
  cleanUp(): Promise<void>;
}

/** A room as the first schema stored it: messages with a random id, the room counting its sequence. */
interface LegacyRoom {
  code: string;
  messages: Array<{ seq: number; clientId: string | null; body: string }>;
}

const LEGACY_INSERTS = {
  room: "INSERT INTO rooms (code, created_at, last_active_at, last_seq) VALUES ($1, $2, $3, $4)",
  message: `INSERT INTO messages (id, room_code, seq, client_id, kind, author_id, author_name, body, created_at)
            VALUES ($1, $2, $3, $4, 'text', 'user-ada', 'Ada', $5, $6)`,
};

/** Fills a first-version database through `run` (PostgreSQL placeholders, each used once; SQLite takes `?`). */
async function writeLegacy(
  legacy: LegacyRoom,
  run: (sql: string, params: unknown[]) => Promise<unknown>,
): Promise<void> {
  await run(LEGACY_INSERTS.room, [legacy.code, T0, T0, legacy.messages.length]);
  for (const message of legacy.messages)
    await run(LEGACY_INSERTS.message, [
      randomUUID(),
      legacy.code,
      message.seq,
      message.clientId,
      message.body,
      T0 + message.seq,
    ]);
}

function sqliteHarness(): Harness {
  let dir: string | undefined;
  return {
    name: "SQLite",
    available: true,
    async open() {
      dir ??= mkdtempSync(path.join(os.tmpdir(), "roomcode-store-"));
      return openSqliteStore(path.join(dir, "chat.db"));
    },
    async openUpgraded(legacy) {
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), "roomcode-legacy-")), "chat.db");
      const db = new Database(file);
      db.exec(sqliteMigrations[0] as string);
      db.pragma("user_version = 1");
      await writeLegacy(legacy, async (sql, params) =>
        db.prepare(sql.replace(/\$\d/g, "?")).run(...params),
      );
      db.close();
      return openSqliteStore(file);
    },
    async cleanUp() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function uniqueSchema(): string {
  return `store_test_${randomUUID().replaceAll("-", "")}`;
}

async function dropSchemas(connectionString: string, schemas: readonly string[]): Promise<void> {
  const pool = new Pool({ connectionString });
  try {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await pool.end();
  }
}

function postgresHarness(): Harness {
  const schema = uniqueSchema();
  const upgraded: string[] = [];
  return {
    name: "PostgreSQL",
    schema,
    available: DATABASE_URL !== undefined,
    async open() {
      return openPostgresStore({ connectionString: DATABASE_URL ?? "", schema, log: testLog });
    },
    async openUpgraded(legacy) {
      const legacySchema = uniqueSchema();
      upgraded.push(legacySchema);
      const pool = new Pool({
        connectionString: DATABASE_URL,
        options: `-c search_path=${legacySchema}`,
      });
      try {
        await pool.query(`CREATE SCHEMA ${legacySchema}`);
        await pool.query(postgresMigrations[0] as string);
        await pool.query(
          "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        );
        await pool.query("INSERT INTO schema_migrations (version) VALUES (1)");
        await writeLegacy(legacy, (sql, params) => pool.query(sql, params));
      } finally {
        await pool.end();
      }
      return openPostgresStore({
        connectionString: DATABASE_URL ?? "",
        schema: legacySchema,
        log: testLog,
      });
    },
    async cleanUp() {
      if (DATABASE_URL) await dropSchemas(DATABASE_URL, [schema, ...upgraded]);
    },
  };
}

function textMessage(roomCode: string, overrides: Partial<NewMessage> = {}): NewMessage {
  return {
    roomCode,
    clientId: randomUUID(),
    kind: "text",
    authorId: "user-ada",
    authorName: "Ada",
    body: "hello",
    createdAt: T0 + 1_000,
    ...overrides,
  };
}

/** An answer the test expects to be stored (not refused). */
function stored(answer: AppendAnswer) {
  if (isRefused(answer)) throw new Error(`Refused: ${answer.refused}`);
  return answer;
}

/** Appends a text message or a notice, which are never refused. */
const append = async (store: ChatStore, message: NewMessage) =>
  stored(await store.appendMessage(message));

async function newRoom(store: ChatStore, now = T0): Promise<string> {
  const code = generateRoomCode();
  expect(await store.createRoom(code, now)).toBe(true);
  return code;
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
const seqs = (messages: readonly { seq: number }[]) => messages.map((message) => message.seq);

for (const harness of [sqliteHarness(), postgresHarness()]) {
  describe.skipIf(!harness.available)(`the ${harness.name} store`, () => {
    let store: ChatStore;

    beforeAll(async () => {
      store = await harness.open();
    });

    afterAll(async () => {
      await store?.close();
      await harness.cleanUp();
    });

    describe("rooms", () => {
      it("a room code can be created once", async () => {
        const code = generateRoomCode();
        expect(await store.createRoom(code, T0)).toBe(true);
        expect(await store.createRoom(code, T0 + 5)).toBe(false);
        expect(await store.getRoom(code)).toEqual({
          code,
          createdAt: T0,
          lastActiveAt: T0,
          name: "",
          locked: false,
          ownerId: null,
          hasPassphrase: false,
        });
      });

      it("a room that was never created is not found", async () => {
        expect(await store.getRoom(generateRoomCode())).toBeNull();
      });
    });

    describe("messages", () => {
      it("messages get increasing per-room sequence numbers starting at 1", async () => {
        const room = await newRoom(store);
        const first = await append(store, textMessage(room, { body: "one" }));
        const second = await append(store, textMessage(room, { body: "two" }));
        const third = await append(store, textMessage(room, { body: "three" }));
        expect([first, second, third].map((result) => result?.message.seq)).toEqual([1, 2, 3]);
        expect([first, second, third].map((result) => result?.duplicate)).toEqual([
          false,
          false,
          false,
        ]);
      });

      it("a message's attachments are stored with it and come back in history", async () => {
        const room = await newRoom(store);
        const attachments = [
          {
            id: "A".repeat(22),
            name: "photo.png",
            type: "image/png",
            size: 1234,
            width: 640,
            height: 480,
            thumbnail: true,
          },
          { id: "B".repeat(22), name: "notes.pdf", type: "application/pdf", size: 99 },
        ];
        const sent = textMessage(room, { body: "", attachments });
        const result = await append(store, sent);
        expect(result?.message.attachments).toEqual(attachments);
        expect((await store.latestMessages(room, 10))[0]?.attachments).toEqual(attachments);
        const plain = await append(store, textMessage(room));
        expect(plain?.message).not.toHaveProperty("attachments");
        expect((await store.messagesAfter(room, 1, 10))[0]).not.toHaveProperty("attachments");
      });

      it("a stored message comes back exactly as it was appended", async () => {
        const room = await newRoom(store);
        const sent = textMessage(room, {
          clientId: "client-0001",
          body: "héllo 👋",
          createdAt: T0 + 1_234,
        });
        const result = await append(store, sent);
        const { roomCode: _room, ...fields } = sent;
        expect(result?.message).toEqual({ ...fields, seq: 1 });
        expect(await store.latestMessages(room, 10)).toEqual([result?.message]);
      });

      it("appending a message marks the room active, never moving its activity backwards", async () => {
        const room = await newRoom(store);
        await append(store, textMessage(room, { createdAt: T0 + 5_000 }));
        expect((await store.getRoom(room))?.lastActiveAt).toBe(T0 + 5_000);
        // Another node's clock may run behind.
        await append(store, textMessage(room, { createdAt: T0 + 4_000 }));
        expect((await store.getRoom(room))?.lastActiveAt).toBe(T0 + 5_000);
      });

      it("a retried client id is stored once and returns the stored copy", async () => {
        const room = await newRoom(store);
        const original = await append(
          store,
          textMessage(room, { clientId: "retry-0001", body: "first try" }),
        );
        const retry = await append(
          store,
          textMessage(room, { clientId: "retry-0001", body: "second try", createdAt: T0 + 9_000 }),
        );
        expect(original?.duplicate).toBe(false);
        expect(retry).toEqual({ message: original?.message, duplicate: true });
        expect(await store.latestMessages(room, 10)).toHaveLength(1);
        // The retry used up no sequence number.
        expect((await append(store, textMessage(room)))?.message.seq).toBe(2);
      });

      it("the same client id in another room is a different message", async () => {
        const roomA = await newRoom(store);
        const roomB = await newRoom(store);
        const inA = await append(store, textMessage(roomA, { clientId: "shared-0001" }));
        const inB = await append(store, textMessage(roomB, { clientId: "shared-0001" }));
        expect([inA?.duplicate, inB?.duplicate]).toEqual([false, false]);
        expect([inA?.message.seq, inB?.message.seq]).toEqual([1, 1]);
      });

      it("server notices without a client id are never mistaken for retries", async () => {
        const room = await newRoom(store);
        const joined = await append(
          store,
          textMessage(room, { clientId: null, kind: "joined", body: "" }),
        );
        const left = await append(
          store,
          textMessage(room, { clientId: null, kind: "left", body: "" }),
        );
        expect([joined?.duplicate, left?.duplicate]).toEqual([false, false]);
        expect(seqs(await store.latestMessages(room, 10))).toEqual([1, 2]);
      });

      it("a notice for a crowd keeps its count of others, as stored and as read back", async () => {
        const room = await newRoom(store);
        const crowd = textMessage(room, { clientId: null, kind: "joined", body: "", others: 41 });
        const group = stored(await store.appendMessage(crowd));
        const single = stored(await store.appendMessage({ ...crowd, others: undefined }));
        expect(group?.message).toMatchObject({ kind: "joined", body: "", others: 41 });
        const [read, readSingle] = await store.latestMessages(room, 2);
        expect(read).toEqual(group?.message);
        expect(readSingle).toEqual(single?.message);
        expect(readSingle).not.toHaveProperty("others");
      });

      it("concurrent appends of the same client id store one message", async () => {
        const room = await newRoom(store);
        const results = await Promise.all(
          range(1, 20).map((n) =>
            append(store, textMessage(room, { clientId: "racing-0001", body: `try ${n}` })),
          ),
        );
        const stored = results.filter((result) => result?.duplicate === false);
        expect(stored).toHaveLength(1);
        expect(new Set(results.map((result) => result?.message.body))).toEqual(
          new Set([stored[0]?.message.body]),
        );
        expect(seqs(await store.latestMessages(room, 50))).toEqual([1]);
        expect((await append(store, textMessage(room)))?.message.seq).toBe(2);
      });

      it("concurrent appends to one room never share a sequence", async () => {
        const room = await newRoom(store);
        const results = await Promise.all(
          range(1, 200).map(() => append(store, textMessage(room))),
        );
        expect(results.map((result) => result?.message.seq ?? 0).sort((a, b) => a - b)).toEqual(
          range(1, 200),
        );
        expect(seqs(await store.latestMessages(room, 500))).toEqual(range(1, 200));
      });

      it("sequences are per room", async () => {
        const roomA = await newRoom(store);
        const roomB = await newRoom(store);
        for (let i = 0; i < 3; i += 1) {
          await append(store, textMessage(roomA));
          await append(store, textMessage(roomB));
        }
        await append(store, textMessage(roomB));
        expect(seqs(await store.latestMessages(roomA, 10))).toEqual([1, 2, 3]);
        expect(seqs(await store.latestMessages(roomB, 10))).toEqual([1, 2, 3, 4]);
      });

      it("appending to a missing room returns null", async () => {
        const code = generateRoomCode();
        expect(await append(store, textMessage(code))).toBeNull();
        expect(await append(store, textMessage(code, { clientId: null }))).toBeNull();
        expect(await store.latestMessages(code, 10)).toEqual([]);
      });

      it("latestMessages, messagesBefore and messagesAfter page in order", async () => {
        const room = await newRoom(store);
        for (const n of range(1, 10))
          await append(store, textMessage(room, { body: `message ${n}` }));

        expect(seqs(await store.latestMessages(room, 3))).toEqual([8, 9, 10]);
        expect(seqs(await store.latestMessages(room, 50))).toEqual(range(1, 10));
        expect(seqs(await store.messagesBefore(room, 8, 3))).toEqual([5, 6, 7]);
        expect(seqs(await store.messagesBefore(room, 3, 5))).toEqual([1, 2]);
        expect(seqs(await store.messagesBefore(room, 1, 5))).toEqual([]);
        expect(seqs(await store.messagesAfter(room, 0, 4))).toEqual([1, 2, 3, 4]);
        expect(seqs(await store.messagesAfter(room, 7, 50))).toEqual([8, 9, 10]);
        expect(seqs(await store.messagesAfter(room, 10, 50))).toEqual([]);
        expect((await store.latestMessages(room, 1))[0]?.body).toBe("message 10");
      });
    });

    describe("membership", () => {
      const ada = { userId: "user-ada", name: "Ada" };

      it("addMember, markAbsent, markPresent and removeMember report each transition once", async () => {
        const room = await newRoom(store);
        expect(await store.getMember(room, ada.userId)).toBeNull();

        expect(await store.addMember(room, ada, T0)).toEqual({ kind: "joined" });
        expect(await store.addMember(room, ada, T0 + 1)).toEqual({ kind: "unchanged" });
        expect(await store.addMember(room, { ...ada, name: "Ada L." }, T0 + 1)).toEqual({
          kind: "renamed",
          previousName: "Ada",
        });
        expect(await store.getMember(room, ada.userId)).toEqual({
          userId: "user-ada",
          name: "Ada L.",
        });
        expect(await store.markPresent(room, ada.userId, T0 + 2)).toBeNull();

        expect(await store.markAbsent(room, ada.userId, T0 + 2)).toBe(true);
        expect(await store.markAbsent(room, ada.userId, T0 + 2)).toBe(false);
        expect(await store.presentMembers(room)).toEqual([]);
        // Absent is not gone: the session may still reconnect.
        expect(await store.getMember(room, ada.userId)).toEqual({
          userId: "user-ada",
          name: "Ada L.",
        });

        expect(await store.markPresent(room, ada.userId, T0 + 3)).toBe("absent");
        expect(await store.markPresent(room, ada.userId, T0 + 4)).toBeNull();
        expect(await store.presentMembers(room)).toEqual([{ userId: "user-ada", name: "Ada L." }]);

        expect(await store.countMembers(room)).toBe(1);
        expect(await store.removeMember(room, ada.userId)).toBe(true);
        expect(await store.removeMember(room, ada.userId)).toBe(false);
        expect(await store.countMembers(room)).toBe(0);
        expect(await store.getMember(room, ada.userId)).toBeNull();
        expect(await store.markPresent(room, ada.userId, T0 + 5)).toBeNull();
      });

      it("an absence longer than the away window is claimed once, and the return says so", async () => {
        const room = await newRoom(store);
        await store.addMember(room, ada, T0);
        await store.markAbsent(room, ada.userId, T0 + 10);
        const ours = (members: RoomMember[]) => members.filter((m) => m.roomCode === room);
        expect(ours(await store.claimAwayNotices(T0 + 10))).toEqual([]);
        expect(ours(await store.claimAwayNotices(T0 + 11))).toEqual([{ roomCode: room, ...ada }]);
        expect(ours(await store.claimAwayNotices(T0 + 11))).toEqual([]);
        expect(await store.markPresent(room, ada.userId, T0 + 12)).toBe("away");
        // A later short absence is a plain one again.
        await store.markAbsent(room, ada.userId, T0 + 13);
        expect(await store.markPresent(room, ada.userId, T0 + 14)).toBe("absent");
      });

      it("leaving ends membership whether present or not", async () => {
        const room = await newRoom(store);
        await store.addMember(room, ada, T0);
        await store.markAbsent(room, ada.userId, T0 + 1);
        expect(await store.removeMember(room, ada.userId)).toBe(true);
        expect(await store.getMember(room, ada.userId)).toBeNull();
      });

      it("concurrent joins and returns of the same person report one arrival", async () => {
        const room = await newRoom(store);
        const joins = await Promise.all(
          range(1, 10).map((n) => store.addMember(room, ada, T0 + n)),
        );
        expect(joins.filter((outcome) => outcome.kind === "joined")).toHaveLength(1);
        await store.markAbsent(room, ada.userId, T0 + 20);
        const returns = await Promise.all(
          range(1, 10).map((n) => store.markPresent(room, ada.userId, T0 + 20 + n)),
        );
        expect(returns.filter((from) => from !== null)).toEqual(["absent"]);
      });

      it("a name stays its member's, present or not, against case and look-alike twins", async () => {
        const room = await newRoom(store);
        const other = await newRoom(store);
        await store.addMember(room, { userId: "u-alice", name: "Alice" }, T0);
        await store.markAbsent(room, "u-alice", T0 + 1);
        for (const twin of ["alice", "ALICE", "\u0410lice", "\uff21lice", "AIice"]) {
          expect(await store.isNameTaken(room, twin, "u-twin")).toBe(true);
          expect(await store.addMember(room, { userId: "u-twin", name: twin }, T0)).toEqual({
            kind: "name-taken",
          });
        }
        expect(await store.isNameTaken(room, "Alice", "u-alice")).toBe(false);
        expect(await store.isNameTaken(other, "Alice", "u-twin")).toBe(false);
        // Renaming into someone else's name is refused too.
        await store.addMember(room, { userId: "u-bob", name: "Bob" }, T0);
        expect(await store.addMember(room, { userId: "u-bob", name: "alice" }, T0)).toEqual({
          kind: "name-taken",
        });
        expect(await store.getMember(room, "u-bob")).toEqual({ userId: "u-bob", name: "Bob" });
        // Once she leaves, the name is free.
        await store.removeMember(room, "u-alice");
        expect(await store.addMember(room, { userId: "u-twin", name: "alice" }, T0)).toEqual({
          kind: "joined",
        });
      });

      it("of people joining at once under look-alike names, one gets it", async () => {
        const room = await newRoom(store);
        const names = ["Zoë", "Zoe\u0308", "ZOË", "zoë", "Zoë", "Z\u043eë"];
        const outcomes = await Promise.all(
          names.map((name, n) => store.addMember(room, { userId: `u-${n}`, name }, T0)),
        );
        expect(outcomes.filter((outcome) => outcome.kind === "joined")).toHaveLength(1);
        expect(outcomes.filter((outcome) => outcome.kind === "name-taken")).toHaveLength(5);
      });

      it("membership belongs to one room", async () => {
        const roomA = await newRoom(store);
        const roomB = await newRoom(store);
        await store.addMember(roomA, ada, T0);
        expect(await store.getMember(roomB, ada.userId)).toBeNull();
        expect(await store.presentMembers(roomB)).toEqual([]);
        expect(await store.markAbsent(roomB, ada.userId, T0)).toBe(false);
        expect(await store.getMember(generateRoomCode(), ada.userId)).toBeNull();
      });

      it("presentMembers lists those present by name, ignoring case", async () => {
        const room = await newRoom(store);
        await store.addMember(room, { userId: "u-bob", name: "bob" }, T0);
        await store.addMember(room, { userId: "u-carol", name: "Carol" }, T0);
        await store.addMember(room, { userId: "u-alice", name: "alice" }, T0);
        await store.addMember(room, { userId: "u-dave", name: "Dave" }, T0);
        await store.markAbsent(room, "u-dave", T0);
        expect(await store.presentMembers(room)).toEqual([
          { userId: "u-alice", name: "alice" },
          { userId: "u-bob", name: "bob" },
          { userId: "u-carol", name: "Carol" },
        ]);
      });

      it("staleMembers lists present members nobody has vouched for since the cutoff", async () => {
        const roomA = await newRoom(store);
        const roomB = await newRoom(store);
        const ours = (list: readonly { roomCode: string }[]) =>
          list.filter((member) => member.roomCode === roomA || member.roomCode === roomB);
        await store.addMember(roomA, { userId: "u-1", name: "One" }, T0);
        await store.addMember(roomA, { userId: "u-2", name: "Two" }, T0);
        await store.addMember(roomB, { userId: "u-3", name: "Three" }, T0);
        await store.markAbsent(roomA, "u-2", T0);

        expect(ours(await store.staleMembers(T0))).toEqual([]);
        const stale = ours(await store.staleMembers(T0 + 1));
        expect(stale).toHaveLength(2);
        expect(stale).toEqual(
          expect.arrayContaining([
            { roomCode: roomA, userId: "u-1", name: "One" },
            { roomCode: roomB, userId: "u-3", name: "Three" },
          ]),
        );

        await store.touchPresence(new Map([[roomA, ["u-1", "u-2"]]]), T0 + 100);
        expect(ours(await store.staleMembers(T0 + 50))).toEqual([
          { roomCode: roomB, userId: "u-3", name: "Three" },
        ]);
        // Vouching keeps no one present who was marked absent.
        expect(await store.presentMembers(roomA)).toEqual([{ userId: "u-1", name: "One" }]);
      });

      it("touchPresence keeps rooms alive without moving their activity backwards", async () => {
        const roomA = await newRoom(store);
        const roomB = await newRoom(store);
        await store.touchPresence(
          new Map([
            [roomA, []],
            [roomB, ["nobody"]],
            [generateRoomCode(), ["ghost"]],
          ]),
          T0 + 100,
        );
        expect((await store.getRoom(roomA))?.lastActiveAt).toBe(T0 + 100);
        expect((await store.getRoom(roomB))?.lastActiveAt).toBe(T0 + 100);
        await store.touchPresence(new Map([[roomA, []]]), T0 + 50);
        expect((await store.getRoom(roomA))?.lastActiveAt).toBe(T0 + 100);
        await store.touchPresence(new Map(), T0 + 200);
        expect((await store.getRoom(roomA))?.lastActiveAt).toBe(T0 + 100);
      });

      it("concurrent heartbeats over overlapping rooms all succeed", async () => {
        const rooms = await Promise.all(range(1, 5).map(() => newRoom(store)));
        for (const room of rooms) await store.addMember(room, ada, T0);
        const heartbeats = range(1, 10).map((n) => {
          const order = n % 2 === 0 ? rooms : [...rooms].reverse();
          return store.touchPresence(new Map(order.map((room) => [room, [ada.userId]])), T0 + n);
        });
        await expect(Promise.all(heartbeats)).resolves.toBeDefined();
        expect((await store.getRoom(rooms[0]!))?.lastActiveAt).toBe(T0 + 10);
      });
    });

    describe("a person's rooms", () => {
      const bob = { userId: "user-bob", name: "Bob" };

      it("memberRooms lists only the rooms still joined, with others' unread messages after the read position", async () => {
        const [first, second, left] = [
          await newRoom(store),
          await newRoom(store),
          await newRoom(store),
        ];
        for (const room of [first, second, left]) {
          await store.addMember(room, bob, T0);
          await store.addMember(room, { userId: "user-ada", name: "Ada" }, T0);
        }
        await store.removeMember(left, bob.userId);
        for (const n of range(1, 3)) await append(store, textMessage(first, { createdAt: T0 + n }));
        await append(store, textMessage(first, { authorId: bob.userId, createdAt: T0 + 9 }));

        const listed = await store.memberRooms(bob.userId, [first, second, left, "NOROOM"]);
        expect(listed.sort((a, b) => a.unread - b.unread)).toEqual([
          { code: second, name: "", lastMessageAt: null, unread: 0 },
          // Bob's own message is not unread to him.
          { code: first, name: "", lastMessageAt: T0 + 9, unread: 3 },
        ]);

        await store.markRead(first, bob.userId, 2);
        // A read position never moves back, nor beyond the room's last message.
        await store.markRead(first, bob.userId, 1);
        expect((await store.memberRooms(bob.userId, [first]))[0]?.unread).toBe(1);
        await store.markRead(first, bob.userId, 1_000_000);
        expect((await store.memberRooms(bob.userId, [first]))[0]?.unread).toBe(0);
        await append(store, textMessage(first, { createdAt: T0 + 20 }));
        expect((await store.memberRooms(bob.userId, [first]))[0]?.unread).toBe(1);
      });

      it("unread counts stop at the cap", async () => {
        const room = await newRoom(store);
        await store.addMember(room, bob, T0);
        for (const n of range(1, UNREAD_COUNT_CAP + 5))
          await append(store, textMessage(room, { createdAt: T0 + n }));
        expect((await store.memberRooms(bob.userId, [room]))[0]?.unread).toBe(UNREAD_COUNT_CAP);
      });
    });

    describe("replies, edits, deletes and reactions", () => {
      const bob = { authorId: "user-bob", authorName: "Bob" };
      const relation = (
        room: string,
        kind: NewMessage["kind"],
        relatesTo: number,
        overrides: Partial<NewMessage> = {},
      ) => textMessage(room, { kind, relatesTo, body: "", createdAt: T0 + 5_000, ...overrides });
      const refusal = async (message: NewMessage) => {
        const answer = await store.appendMessage(message);
        return isRefused(answer) ? answer.refused : "stored";
      };

      it("an edit changes its target's body, marks it edited and records its version", async () => {
        const room = await newRoom(store);
        await append(store, textMessage(room, { body: "teh typo" }));
        const edit = await append(store, relation(room, "edit", 1, { body: "the typo" }));
        expect(edit?.message).toMatchObject({
          seq: 2,
          kind: "edit",
          relatesTo: 1,
          body: "the typo",
        });
        const [target, event] = await store.latestMessages(room, 10);
        expect(target).toMatchObject({ body: "the typo", editedAt: T0 + 5_000, version: 2 });
        expect(event).toMatchObject({ kind: "edit", relatesTo: 1 });
      });

      it("only the author may edit or delete, and a refused event takes no sequence", async () => {
        const room = await newRoom(store);
        await append(store, textMessage(room, { body: "mine" }));
        expect(await refusal(relation(room, "edit", 1, { ...bob, body: "hijacked" }))).toBe(
          "not-author",
        );
        expect(await refusal(relation(room, "delete", 1, bob))).toBe("not-author");
        expect(await store.latestMessages(room, 10)).toEqual([
          expect.objectContaining({ seq: 1, body: "mine" }),
        ]);
        expect(await store.latestMessages(room, 10)).toEqual([
          expect.not.objectContaining({ version: expect.anything() }),
        ]);
      });

      it("events for a missing message, a notice or another event are refused", async () => {
        const room = await newRoom(store);
        await append(store, textMessage(room, { clientId: null, kind: "joined", body: "" }));
        await append(store, textMessage(room, { body: "hello" }));
        await append(store, relation(room, "reaction", 2, { body: "👍" }));
        expect(await refusal(relation(room, "edit", 1, { body: "x" }))).toBe("no-such-message");
        expect(await refusal(relation(room, "reaction", 3, { body: "👍" }))).toBe(
          "no-such-message",
        );
        expect(await refusal(relation(room, "delete", 99))).toBe("no-such-message");
        expect(await refusal(textMessage(room, { replyTo: 99 }))).toBe("no-such-message");
      });

      it("a delete blanks the body, files and reactions, and the bodies of its edits", async () => {
        const room = await newRoom(store);
        const attachments = [
          { id: "C".repeat(22), name: "a.pdf", type: "application/pdf", size: 9 },
        ];
        await append(store, textMessage(room, { body: "my password", attachments }));
        await append(store, relation(room, "edit", 1, { body: "my password is hunter2" }));
        await append(store, relation(room, "reaction", 1, { ...bob, body: "😮" }));
        const deleted = await append(store, relation(room, "delete", 1));
        expect(deleted?.removedFiles).toEqual(["C".repeat(22)]);
        const messages = await store.latestMessages(room, 10);
        expect(messages[0]).toEqual({
          seq: 1,
          clientId: expect.any(String),
          kind: "text",
          authorId: "user-ada",
          authorName: "Ada",
          body: "",
          createdAt: T0 + 1_000,
          deleted: true,
          version: 4,
        });
        expect(messages.map((message) => message.body)).toEqual(["", "", "😮", ""]);
        expect(await refusal(relation(room, "edit", 1, { body: "back" }))).toBe("message-deleted");
        expect(await refusal(relation(room, "reaction", 1, { body: "👍" }))).toBe(
          "message-deleted",
        );
      });

      it("a retried delete is answered with the stored event, not refused", async () => {
        const room = await newRoom(store);
        await append(store, textMessage(room));
        const first = await append(store, relation(room, "delete", 1, { clientId: "delete-0001" }));
        const retry = await append(store, relation(room, "delete", 1, { clientId: "delete-0001" }));
        expect(retry).toEqual({ message: first?.message, duplicate: true });
      });

      it("reactions count each person once per emoji, can be taken back, and are bounded", async () => {
        const room = await newRoom(store);
        await append(store, textMessage(room));
        await append(store, relation(room, "reaction", 1, { body: "👍" }));
        await append(store, relation(room, "reaction", 1, { ...bob, body: "👍" }));
        await append(store, relation(room, "reaction", 1, { ...bob, body: "👍" }));
        await append(store, relation(room, "reaction", 1, { body: "🎉" }));
        await append(store, relation(room, "reaction-removed", 1, { body: "🎉" }));
        const [target] = await store.latestMessages(room, 10);
        expect(target?.reactions).toEqual([
          {
            emoji: "👍",
            by: [
              { userId: "user-ada", name: "Ada" },
              { userId: "user-bob", name: "Bob" },
            ],
          },
        ]);
        expect(target?.version).toBe(6);
        const emoji = [...range(0, MAX_REACTIONS_PER_MESSAGE - 2)].map((n) =>
          String.fromCodePoint(0x1f600 + n),
        );
        for (const body of emoji) await append(store, relation(room, "reaction", 1, { body }));
        expect(await refusal(relation(room, "reaction", 1, { body: "🦄" }))).toBe(
          "too-many-reactions",
        );
        // One more person on an emoji already there is still fine.
        expect(await refusal(relation(room, "reaction", 1, { ...bob, body: "😀" }))).toBe("stored");
        const [after] = await store
          .latestMessages(room, 1)
          .then(() => store.messagesBefore(room, 2, 1));
        expect(after?.reactions).toHaveLength(MAX_REACTIONS_PER_MESSAGE);
      });

      it("a reply carries a quote of its original as the original is now", async () => {
        const room = await newRoom(store);
        await append(store, textMessage(room, { body: "x".repeat(500) }));
        const reply = await append(store, textMessage(room, { ...bob, body: "yes", replyTo: 1 }));
        const quote = { authorName: "Ada", excerpt: "x".repeat(QUOTE_EXCERPT_LENGTH) };
        expect(reply?.message).toMatchObject({ replyTo: 1, quote });
        expect((await store.messagesAfter(room, 1, 10))[0]).toMatchObject({ replyTo: 1, quote });
        await append(store, relation(room, "edit", 1, { body: "shorter" }));
        expect((await store.messagesAfter(room, 1, 1))[0]?.quote).toEqual({
          authorName: "Ada",
          excerpt: "shorter",
        });
        await append(store, relation(room, "delete", 1));
        expect((await store.messagesAfter(room, 1, 1))[0]?.quote).toEqual({
          authorName: "Ada",
          excerpt: "",
          deleted: true,
        });
      });

      it("relation events are not unread news", async () => {
        const room = await newRoom(store);
        await store.addMember(room, { userId: "user-ada", name: "Ada" }, T0);
        await store.addMember(room, { userId: "user-bob", name: "Bob" }, T0);
        await append(store, textMessage(room, bob));
        await store.markRead(room, "user-ada", 1);
        await append(store, relation(room, "edit", 1, { ...bob, body: "edited" }));
        await append(store, relation(room, "reaction", 1, { ...bob, body: "👍" }));
        await append(store, relation(room, "delete", 1, bob));
        const [rooms] = await store.memberRooms("user-ada", [room]);
        expect(rooms?.unread).toBe(0);
      });
    });

    describe("batches and upgrades", () => {
      it("a batch is stored in its order, with retries and gone rooms answered in place", async () => {
        const roomA = await newRoom(store);
        const roomB = await newRoom(store);
        const results = await store.appendMessages([
          textMessage(roomA, { clientId: "batch-0001", body: "a1" }),
          textMessage(roomB, { body: "b1" }),
          textMessage(roomA, { clientId: "batch-0001", body: "a1 again" }),
          textMessage(generateRoomCode(), { body: "nowhere" }),
          textMessage(roomA, { body: "a2" }),
        ]);
        expect(
          results.map((answer) => {
            const result = stored(answer);
            return result && [result.message.seq, result.message.body, result.duplicate];
          }),
        ).toEqual([[1, "a1", false], [1, "b1", false], [1, "a1", true], null, [2, "a2", false]]);
        expect(seqs(await store.latestMessages(roomA, 10))).toEqual([1, 2]);
      });

      it("a batch with replies among plain messages keeps its order, numbers and refusals", async () => {
        const room = await newRoom(store);
        const answers = await store.appendMessages([
          textMessage(room, { clientId: "mixed-0001", body: "question" }),
          textMessage(room, { clientId: "mixed-0002", body: "answer", replyTo: 1 }),
          textMessage(room, { clientId: "mixed-0003", body: "to nothing", replyTo: 99 }),
          textMessage(room, { clientId: "mixed-0004", body: "after" }),
          textMessage(room, { clientId: "mixed-0002", body: "answer" }),
        ]);
        expect(
          answers.map((answer) =>
            answer === null || isRefused(answer)
              ? answer && answer.refused
              : [answer.message.seq, answer.message.body, answer.duplicate],
          ),
        ).toEqual([
          [1, "question", false],
          [2, "answer", false],
          "no-such-message",
          [3, "after", false],
          [2, "answer", true],
        ]);
        expect((await store.messagesAfter(room, 0, 10)).map((m) => [m.seq, m.replyTo])).toEqual([
          [1, undefined],
          [2, 1],
          [3, undefined],
        ]);
      });

      it("a database from the first schema keeps its messages, retries and sequence", async () => {
        const code = generateRoomCode();
        const upgraded = await harness.openUpgraded({
          code,
          messages: [
            { seq: 1, clientId: "legacy-0001", body: "from before" },
            { seq: 2, clientId: null, body: "" },
          ],
        });
        try {
          expect((await upgraded.latestMessages(code, 10)).map((m) => [m.seq, m.body])).toEqual([
            [1, "from before"],
            [2, ""],
          ]);
          const retry = await append(
            upgraded,
            textMessage(code, { clientId: "legacy-0001", body: "again" }),
          );
          expect(retry).toMatchObject({
            duplicate: true,
            message: { seq: 1, body: "from before" },
          });
          const next = await append(upgraded, textMessage(code, { body: "after" }));
          expect(next).toMatchObject({ duplicate: false, message: { seq: 3 } });
        } finally {
          await upgraded.close();
        }
      });
    });

    describe("owners", () => {
      const olga = { userId: "user-olga", name: "Olga" };
      const max = { userId: "user-max", name: "Max" };
      const nina = { userId: "user-nina", name: "Nina" };

      async function ownedRoom() {
        const room = await newRoom(store);
        await store.admitMember(room, olga, "10.0.0.1", null, T0);
        await store.admitMember(room, max, "10.0.0.2", null, T0 + 1);
        await store.admitMember(room, nina, "10.0.0.3", null, T0 + 2);
        return room;
      }
      const kinds = async (room: string) =>
        (await store.latestMessages(room, 100))
          .filter((message) => message.kind !== "joined")
          .map((message) => `${message.kind}:${message.authorName}:${message.body}`);

      it("the first member owns the room, and only the owner's actions apply, each with a stored notice", async () => {
        const room = await ownedRoom();
        expect(await store.getRoom(room)).toMatchObject({
          ownerId: olga.userId,
          name: "",
          locked: false,
        });
        for (const action of [
          { type: "name", name: "Mine now" },
          { type: "lock", locked: true },
          { type: "remove", userId: nina.userId, lockoutUntil: T0 + 100 },
          { type: "hand-over", userId: max.userId },
          { type: "delete" },
        ] as const)
          expect(await store.ownerAction(room, max.userId, action, T0 + 10)).toEqual({
            ok: false,
            reason: "not-owner",
          });
        expect(await kinds(room)).toEqual([]);

        expect(
          await store.ownerAction(room, olga.userId, { type: "name", name: "Book club" }, T0 + 11),
        ).toMatchObject({
          ok: true,
          state: { name: "Book club", locked: false, ownerId: olga.userId },
        });
        await store.ownerAction(room, olga.userId, { type: "lock", locked: true }, T0 + 12);
        // Locking a locked room changes nothing and says nothing.
        expect(
          await store.ownerAction(room, olga.userId, { type: "lock", locked: true }, T0 + 13),
        ).toMatchObject({ ok: true, notice: null });
        await store.ownerAction(
          room,
          olga.userId,
          { type: "hand-over", userId: max.userId },
          T0 + 14,
        );
        // The old owner is now refused; the new one is obeyed.
        expect(
          await store.ownerAction(room, olga.userId, { type: "lock", locked: false }, T0 + 15),
        ).toEqual({ ok: false, reason: "not-owner" });
        await store.ownerAction(room, max.userId, { type: "lock", locked: false }, T0 + 16);
        expect(await store.getRoom(room)).toMatchObject({
          name: "Book club",
          locked: false,
          ownerId: max.userId,
        });
        expect(await kinds(room)).toEqual([
          "room-named:Olga:Book club",
          "room-locked:Olga:",
          "owner-handed-over:Olga:Max",
          "room-unlocked:Max:",
        ]);
      });

      it("a locked room admits its members again but nobody new", async () => {
        const room = await ownedRoom();
        await store.ownerAction(room, olga.userId, { type: "lock", locked: true }, T0 + 10);
        expect(
          await store.admitMember(
            room,
            { userId: "user-new", name: "New" },
            "10.0.0.9",
            null,
            T0 + 11,
          ),
        ).toEqual({ admitted: false, reason: "locked" });
        expect(await store.admitMember(room, max, "10.0.0.2", null, T0 + 12)).toMatchObject({
          admitted: true,
        });
        expect(await store.getMember(room, "user-new")).toBeNull();
        expect(await store.admitMember(generateRoomCode(), max, "10.0.0.2", null, T0)).toEqual({
          admitted: false,
          reason: "room-gone",
        });
      });

      it("removal ends membership and locks the person out for good and their address until the lockout ends", async () => {
        const room = await ownedRoom();
        const outcome = await store.ownerAction(
          room,
          olga.userId,
          { type: "remove", userId: nina.userId, lockoutUntil: T0 + 1000 },
          T0 + 10,
        );
        expect(outcome).toMatchObject({
          ok: true,
          removed: nina,
          notice: { kind: "member-removed", authorName: "Olga", body: "Nina" },
        });
        expect(await store.getMember(room, nina.userId)).toBeNull();
        expect(
          await store.admitMember(room, { ...nina, name: "Not Nina" }, "10.9.9.9", null, T0 + 5000),
        ).toEqual({ admitted: false, reason: "removed" });
        expect(
          await store.admitMember(
            room,
            { userId: "user-fresh", name: "Fresh" },
            "10.0.0.3",
            null,
            T0 + 999,
          ),
        ).toEqual({ admitted: false, reason: "removed" });
        expect(
          await store.admitMember(
            room,
            { userId: "user-fresh", name: "Fresh" },
            "10.0.0.3",
            null,
            T0 + 1001,
          ),
        ).toMatchObject({ admitted: true });
        // The owner cannot remove themselves, nor someone who is not a member.
        expect(
          await store.ownerAction(
            room,
            olga.userId,
            { type: "remove", userId: olga.userId, lockoutUntil: 0 },
            T0,
          ),
        ).toEqual({ ok: false, reason: "no-such-member" });
        expect(
          await store.ownerAction(
            room,
            olga.userId,
            { type: "hand-over", userId: nina.userId },
            T0,
          ),
        ).toEqual({ ok: false, reason: "no-such-member" });
      });

      it("a removed member's message is refused when it asks to be a member's", async () => {
        const room = await ownedRoom();
        await store.ownerAction(
          room,
          olga.userId,
          { type: "remove", userId: max.userId, lockoutUntil: 0 },
          T0 + 10,
        );
        expect(
          await append(store, textMessage(room, { authorId: max.userId, requireMember: true })),
        ).toBeNull();
        expect(
          await append(store, textMessage(room, { authorId: nina.userId, requireMember: true })),
        ).not.toBeNull();
      });

      it("deleting removes the room with its messages, members and lockouts", async () => {
        const room = await ownedRoom();
        await store.ownerAction(
          room,
          olga.userId,
          { type: "remove", userId: nina.userId, lockoutUntil: T0 + 1000 },
          T0 + 10,
        );
        expect(await store.ownerAction(room, olga.userId, { type: "delete" }, T0 + 11)).toEqual({
          ok: true,
          state: null,
          notice: null,
        });
        expect(await store.getRoom(room)).toBeNull();
        expect(await store.latestMessages(room, 10)).toEqual([]);
        expect(await store.getMember(room, max.userId)).toBeNull();
        expect(
          await store.ownerAction(room, olga.userId, { type: "lock", locked: true }, T0 + 12),
        ).toEqual({ ok: false, reason: "room-gone" });
      });

      it("an owner who leaves passes the room to the member there longest, present ones first", async () => {
        const room = await ownedRoom();
        await store.markAbsent(room, max.userId, T0 + 3);
        expect(await store.passOwnership(room, olga.userId, T0 + 10)).toBeNull(); // still a member
        await store.removeMember(room, olga.userId);
        expect(await store.passOwnership(room, max.userId, T0 + 10)).toBeNull(); // not the owner
        const passed = await store.passOwnership(room, olga.userId, T0 + 10);
        expect(passed).toMatchObject({ kind: "owner-passed", authorId: nina.userId });
        expect((await store.getRoom(room))?.ownerId).toBe(nina.userId);
      });

      it("of two owner actions at once, the second is decided on what the first left", async () => {
        const room = await ownedRoom();
        const [handOver, lock] = await Promise.all([
          store.ownerAction(room, olga.userId, { type: "hand-over", userId: max.userId }, T0 + 10),
          store.ownerAction(room, olga.userId, { type: "lock", locked: true }, T0 + 10),
        ]);
        // Either order is fine; what is not: both applied after the hand-over, or a half-done one.
        const room_ = await store.getRoom(room);
        if (lock.ok) expect(room_?.locked).toBe(true);
        else expect(lock).toEqual({ ok: false, reason: "not-owner" });
        expect(handOver.ok).toBe(true);
        expect(room_?.ownerId).toBe(max.userId);
        const notices = await kinds(room);
        expect(notices.length).toBe(lock.ok ? 2 : 1);
      });

      it("a passphrase keeps out newcomers unless the one checked is still the room's; members stay", async () => {
        const room = await ownedRoom();
        const newcomer = { userId: "user-new", name: "New" };
        const set = (actorId: string, hash: string | null) =>
          store.ownerAction(room, actorId, { type: "passphrase", hash }, T0 + 10);
        expect(await set(max.userId, "scrypt$forged")).toEqual({ ok: false, reason: "not-owner" });
        expect(await store.passphraseHash(room)).toBeNull();

        const outcome = await set(olga.userId, "scrypt$one");
        expect(outcome).toMatchObject({
          ok: true,
          state: { hasPassphrase: true },
          notice: { kind: "passphrase-set", authorName: "Olga", body: "" },
        });
        // What members are sent says there is one, never what it is.
        expect(JSON.stringify(outcome)).not.toContain("scrypt");
        expect(JSON.stringify(await store.getRoom(room))).not.toContain("scrypt");
        expect(await store.getRoom(room)).toMatchObject({ hasPassphrase: true });
        expect(await store.passphraseHash(room)).toBe("scrypt$one");

        for (const checked of [null, "scrypt$other"])
          expect(await store.admitMember(room, newcomer, "10.0.0.9", checked, T0 + 11)).toEqual({
            admitted: false,
            reason: "passphrase",
          });
        expect(await store.getMember(room, newcomer.userId)).toBeNull();
        expect(await store.admitMember(room, max, "10.0.0.2", null, T0 + 12)).toMatchObject({
          admitted: true,
        });
        expect(
          await store.admitMember(room, newcomer, "10.0.0.9", "scrypt$one", T0 + 13),
        ).toMatchObject({ admitted: true, outcome: { kind: "joined" } });

        expect(await set(olga.userId, null)).toMatchObject({
          ok: true,
          state: { hasPassphrase: false },
          notice: { kind: "passphrase-removed", body: "" },
        });
        expect(await set(olga.userId, null)).toMatchObject({ ok: true, notice: null });
        expect(await store.passphraseHash(room)).toBeNull();
      });

      it.runIf(harness.name === "PostgreSQL")(
        "a lock waits for a join already under way, so the join is never half done",
        async () => {
          const room = await ownedRoom();
          const newcomer = { userId: "user-late", name: "Late" };
          // A trigger makes this newcomer's insert slow, so a lock arrives while the join is
          // between its checks and its insert.
          const admin = new Pool({ connectionString: DATABASE_URL, max: 1 });
          const ddl = (sql: string) => admin.query(`SET search_path TO ${harness.schema}; ${sql}`);
          await ddl(`CREATE FUNCTION slow_join() RETURNS trigger AS $$ BEGIN
              IF NEW.user_id = 'user-late' THEN PERFORM pg_sleep(0.5); END IF; RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER slow_join BEFORE INSERT ON members
              FOR EACH ROW EXECUTE FUNCTION slow_join();`);
          try {
            const settled: string[] = [];
            const join = store
              .admitMember(room, newcomer, "10.0.0.9", null, T0 + 20)
              .finally(() => settled.push("join"));
            await new Promise((resolve) => setTimeout(resolve, 150));
            const lock = store
              .ownerAction(room, olga.userId, { type: "lock", locked: true }, T0 + 21)
              .finally(() => settled.push("lock"));
            expect(await join).toMatchObject({ admitted: true, outcome: { kind: "joined" } });
            expect(await lock).toMatchObject({ ok: true, state: { locked: true } });
            // The join held the room from its checks to its insert: the lock came after it whole.
            expect(settled).toEqual(["join", "lock"]);
            expect(await store.getMember(room, newcomer.userId)).toEqual(newcomer);
          } finally {
            await ddl("DROP TRIGGER slow_join ON members; DROP FUNCTION slow_join();");
            await admin.end();
          }
        },
      );
    });

    describe("expiry", () => {
      it("deleteIdleRooms removes idle rooms with their messages but keeps rooms with someone present or recent activity", async () => {
        const idle = await newRoom(store);
        await append(store, textMessage(idle, { clientId: "idle-0001", createdAt: T0 + 10 }));
        await store.addMember(idle, { userId: "u-gone", name: "Gone" }, T0);
        await store.markAbsent(idle, "u-gone", T0);
        const occupied = await newRoom(store);
        await store.addMember(occupied, { userId: "u-here", name: "Here" }, T0);
        const recent = await newRoom(store);
        await append(store, textMessage(recent, { createdAt: T0 + 1_000 }));

        const deleted = await store.deleteIdleRooms(T0 + 500);
        expect(deleted).toContain(idle);
        expect(deleted).not.toContain(occupied);
        expect(deleted).not.toContain(recent);

        expect(await store.getRoom(idle)).toBeNull();
        expect(await store.latestMessages(idle, 10)).toEqual([]);
        expect(await store.getMember(idle, "u-gone")).toBeNull();
        expect(await append(store, textMessage(idle))).toBeNull();
        expect(await store.getRoom(occupied)).not.toBeNull();
        expect(await store.getRoom(recent)).not.toBeNull();
        expect(await store.deleteIdleRooms(T0 + 500)).not.toContain(idle);

        // Nothing of the old room lingers when its code is reused.
        expect(await store.createRoom(idle, T0 + 2_000)).toBe(true);
        const fresh = await append(store, textMessage(idle, { clientId: "idle-0001" }));
        expect(fresh).toMatchObject({ duplicate: false, message: { seq: 1 } });
      });

      it("a room whose last member was marked absent becomes removable", async () => {
        const room = await newRoom(store);
        await store.addMember(room, { userId: "u-1", name: "One" }, T0);
        expect(await store.deleteIdleRooms(T0 + 500)).not.toContain(room);
        await store.markAbsent(room, "u-1", T0);
        expect(await store.deleteIdleRooms(T0 + 500)).toContain(room);
      });
    });

    describe("durability", () => {
      it("data survives closing and reopening the store", async () => {
        const first = await harness.open();
        const room = await newRoom(first);
        await append(first, textMessage(room, { clientId: "durable-0001", body: "kept" }));
        await first.addMember(room, { userId: "u-1", name: "One" }, T0);
        await first.close();
        await first.close();

        const reopened = await harness.open();
        try {
          expect(await reopened.getRoom(room)).toMatchObject({
            code: room,
            createdAt: T0,
            lastActiveAt: T0 + 1_000,
          });
          expect((await reopened.latestMessages(room, 10)).map((message) => message.body)).toEqual([
            "kept",
          ]);
          expect(await reopened.presentMembers(room)).toEqual([{ userId: "u-1", name: "One" }]);
          expect(
            await append(reopened, textMessage(room, { clientId: "durable-0001" })),
          ).toMatchObject({
            duplicate: true,
            message: { seq: 1, body: "kept" },
          });
          expect((await append(reopened, textMessage(room)))?.message.seq).toBe(2);
        } finally {
          await reopened.close();
        }
      });
    });
  });
}

describe.skipIf(!DATABASE_URL)("PostgreSQL shared by several nodes", () => {
  const schema = uniqueSchema();
  const connectionString = DATABASE_URL ?? "";
  let nodes: ChatStore[] = [];

  beforeAll(async () => {
    // Started together, as a rolling deploy would: migrations must not race.
    nodes = await Promise.all(
      range(1, 3).map(() => openPostgresStore({ connectionString, schema, log: testLog })),
    );
  });

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await dropSchemas(connectionString, [schema]);
  });

  it("nodes starting together apply the migrations once", async () => {
    const pool = new Pool({ connectionString });
    try {
      const { rows } = await pool.query<{ version: number }>(
        `SELECT version FROM ${schema}.schema_migrations ORDER BY version`,
      );
      expect(rows.map((row) => row.version)).toEqual(range(1, postgresMigrations.length));
    } finally {
      await pool.end();
    }
  });

  it("two nodes appending concurrently to the same room never share a sequence", async () => {
    const [a, b] = nodes as [ChatStore, ChatStore];
    const room = await newRoom(a);
    const results = await Promise.all(
      range(1, 200).map((n) =>
        append(n % 2 === 0 ? a : b, textMessage(room, { body: `from ${n % 2}` })),
      ),
    );
    expect(results.map((result) => result?.message.seq ?? 0).sort((a, b) => a - b)).toEqual(
      range(1, 200),
    );
    expect(seqs(await b.latestMessages(room, 500))).toEqual(range(1, 200));
  });

  it("a retry landing on another node returns the copy the first node stored", async () => {
    const [a, b, c] = nodes as [ChatStore, ChatStore, ChatStore];
    const room = await newRoom(a);
    const results = await Promise.all(
      range(1, 30).map((n) =>
        append([a, b, c][n % 3]!, textMessage(room, { clientId: "hopping-0001" })),
      ),
    );
    expect(results.filter((result) => result?.duplicate === false)).toHaveLength(1);
    expect(new Set(results.map((result) => result?.message.seq)).size).toBe(1);
    expect(seqs(await c.latestMessages(room, 50))).toEqual([1]);
  });

  it("one node's expiry and another node's heartbeats can run at the same time", async () => {
    const [a, b] = nodes as [ChatStore, ChatStore];
    const rooms = await Promise.all(range(1, 10).map(() => newRoom(a)));
    const work = range(1, 10).flatMap((n) => [
      a.deleteIdleRooms(T0 + 50),
      b.touchPresence(new Map(rooms.map((room) => [room, []])), T0 + 100 + n),
    ]);
    await expect(Promise.all(work)).resolves.toBeDefined();
  });

  it("refuses a schema name it would have to quote", async () => {
    await expect(
      openPostgresStore({
        connectionString,
        schema: "Robert'); DROP TABLE rooms;--",
        log: testLog,
      }),
    ).rejects.toThrow(/schema name/);
  });
});
