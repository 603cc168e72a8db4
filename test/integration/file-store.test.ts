// One behavioural suite for the FileStore contract, run against the disk store always and the
// PostgreSQL store when DATABASE_URL points at a server (the cluster run sets it).
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateRoomCode } from "@/lib/room-code";
import { openDiskFileStore } from "@/lib/server/store/disk-file-store";
import type { FileStore, NewFile } from "@/lib/server/store/file-store";
import { createLogger } from "@/lib/server/logger";
import { CHUNK_BYTES, openPostgresFileStore } from "@/lib/server/store/postgres-file-store";

const DATABASE_URL = process.env.DATABASE_URL;

interface Harness {
  name: string;
  available: boolean;
  open(): Promise<FileStore>;
  /** Bytes of files this store keeps anywhere (disk or database), to prove deletions. */
  storedBytes(): Promise<number>;
  cleanUp(): Promise<void>;
}

function diskHarness(): Harness {
  const dir = mkdtempSync(path.join(os.tmpdir(), "roomcode-files-"));
  const walk = (folder: string): number =>
    readdirSync(folder, { withFileTypes: true }).reduce(
      (total, entry) => total + (entry.isDirectory() ? walk(path.join(folder, entry.name)) + 1 : 1),
      0,
    );
  return {
    name: "disk",
    available: true,
    open: async () => openDiskFileStore(dir),
    storedBytes: async () => walk(dir),
    cleanUp: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresHarness(): Harness {
  const schema = `file_store_test_${randomUUID().replaceAll("-", "")}`;
  const connectionString = DATABASE_URL ?? "";
  const query = async (sql: string) => {
    const pool = new Pool({ connectionString });
    try {
      return (await pool.query<{ count: number }>(sql)).rows[0]?.count ?? 0;
    } finally {
      await pool.end();
    }
  };
  return {
    name: "PostgreSQL",
    available: DATABASE_URL !== undefined,
    open: () =>
      openPostgresFileStore({
        connectionString,
        schema,
        log: createLogger({ logLevel: "silent" }),
      }),
    storedBytes: async () =>
      Number(
        await query(
          `SELECT (SELECT count(*) FROM ${schema}.files) + (SELECT count(*) FROM ${schema}.file_chunks) AS count`,
        ),
      ),
    cleanUp: async () => {
      if (DATABASE_URL) await query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}

function newFile(roomCode: string, overrides: Partial<NewFile> = {}): NewFile {
  return {
    roomCode,
    uploaderId: "user-ada",
    clientId: randomUUID(),
    index: 0,
    name: "notes.pdf",
    type: "application/pdf",
    createdAt: 1_767_225_600_000,
    ...overrides,
  };
}

/** A stream that hands its bytes over in small pieces, as a network upload does. */
function trickle(bytes: Buffer, piece = 10_000): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += piece) yield bytes.subarray(at, at + piece);
    })(),
  );
}

async function read(store: FileStore, ...args: Parameters<FileStore["readFile"]>) {
  const stream = await store.readFile(...args);
  return stream ? buffer(stream) : null;
}

for (const harness of [diskHarness(), postgresHarness()]) {
  describe.skipIf(!harness.available)(`the ${harness.name} file store`, () => {
    let store: FileStore;
    beforeAll(async () => {
      store = await harness.open();
    });
    afterAll(async () => {
      await store?.close();
      await harness.cleanUp();
    });

    it("stores a streamed file and gives back the same bytes and description", async () => {
      const room = generateRoomCode();
      // Several chunks and a ragged end, so chunking and re-joining are both exercised.
      const bytes = randomBytes(CHUNK_BYTES * 2 + 12_345);
      const { file, duplicate } = await store.saveFile(newFile(room), { original: trickle(bytes) });
      expect(duplicate).toBe(false);
      expect(file).toMatchObject({ roomCode: room, size: bytes.length, thumbnail: false });
      expect(file.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(await store.getFile(room, file.id)).toEqual(file);
      expect((await read(store, room, file.id, "original"))?.equals(bytes)).toBe(true);
    });

    it("serves any byte range, across chunk boundaries", async () => {
      const room = generateRoomCode();
      const bytes = randomBytes(CHUNK_BYTES * 3);
      const { file } = await store.saveFile(newFile(room), { original: trickle(bytes, 65_536) });
      for (const [start, end] of [
        [0, 0],
        [CHUNK_BYTES - 10, CHUNK_BYTES + 10],
        [5, CHUNK_BYTES * 2 + 7],
        [bytes.length - 100, bytes.length - 1],
      ] as const) {
        const part = await read(store, room, file.id, "original", { start, end });
        expect(part?.equals(bytes.subarray(start, end + 1))).toBe(true);
      }
    });

    it("keeps an image's preview apart from the image", async () => {
      const room = generateRoomCode();
      const [image, preview] = [randomBytes(5000), randomBytes(300)];
      const { file } = await store.saveFile(
        newFile(room, { type: "image/png", width: 40, height: 30 }),
        { original: trickle(image), thumbnail: trickle(preview) },
      );
      expect(file).toMatchObject({ thumbnail: true, width: 40, height: 30 });
      expect((await read(store, room, file.id, "thumbnail"))?.equals(preview)).toBe(true);
      expect((await read(store, room, file.id, "original"))?.equals(image)).toBe(true);
    });

    it("an upload stored under a key is found by it, and a second save under it stores nothing", async () => {
      const room = generateRoomCode();
      const key = { clientId: randomUUID(), index: 2 };
      expect(await store.findUpload(room, key.clientId, key.index)).toBeNull();
      const first = await store.saveFile(newFile(room, key), {
        original: trickle(randomBytes(100)),
      });
      expect(await store.findUpload(room, key.clientId, key.index)).toEqual(first.file);
      const again = await store.saveFile(newFile(room, key), {
        original: trickle(randomBytes(70)),
      });
      expect(again).toEqual({ file: first.file, duplicate: true });
      expect(await store.roomBytes(room)).toBe(100);
    });

    it("concurrent saves under one key keep exactly one file", async () => {
      const room = generateRoomCode();
      const key = { clientId: randomUUID(), index: 0 };
      const results = await Promise.all(
        [1, 2, 3].map((n) =>
          store.saveFile(newFile(room, key), { original: trickle(randomBytes(n * 1000)) }),
        ),
      );
      expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
      expect(new Set(results.map((result) => result.file.id)).size).toBe(1);
      expect(await store.roomBytes(room)).toBe(results[0]?.file.size);
    });

    it("a failing upload stream leaves nothing behind", async () => {
      const room = generateRoomCode();
      const before = await harness.storedBytes();
      const broken = Readable.from(
        (async function* () {
          yield randomBytes(CHUNK_BYTES + 1);
          throw new Error("connection lost");
        })(),
      );
      const key = { clientId: randomUUID(), index: 0 };
      await expect(store.saveFile(newFile(room, key), { original: broken })).rejects.toThrow();
      expect(await store.findUpload(room, key.clientId, key.index)).toBeNull();
      expect(await store.roomBytes(room)).toBe(0);
      // The room's folder may stay; no bytes or rows do.
      expect(await harness.storedBytes()).toBeLessThanOrEqual(before + 2);
    });

    it("files are private to their room", async () => {
      const [room, other] = [generateRoomCode(), generateRoomCode()];
      const { file } = await store.saveFile(newFile(room), { original: trickle(randomBytes(10)) });
      expect(await store.getFile(other, file.id)).toBeNull();
      expect(await store.readFile(other, file.id, "original")).toBeNull();
      expect(await store.getFile(room, "A".repeat(22))).toBeNull();
    });

    it("counts a room's bytes and forgets them all when the room is deleted", async () => {
      const [room, kept] = [generateRoomCode(), generateRoomCode()];
      const before = await harness.storedBytes();
      const saved = await Promise.all(
        [300, 700].map((size) =>
          store.saveFile(newFile(room), {
            original: trickle(randomBytes(size)),
            thumbnail: trickle(randomBytes(9)),
          }),
        ),
      );
      const other = await store.saveFile(newFile(kept), { original: trickle(randomBytes(5)) });
      expect(await store.roomBytes(room)).toBe(1000);
      await store.deleteRoom(room);
      expect(await store.roomBytes(room)).toBe(0);
      for (const { file } of saved) {
        expect(await store.getFile(room, file.id)).toBeNull();
        expect(await store.readFile(room, file.id, "original")).toBeNull();
      }
      expect(await store.getFile(kept, other.file.id)).toEqual(other.file);
      await store.deleteRoom(kept);
      expect(await harness.storedBytes()).toBeLessThanOrEqual(before);
    });

    it("deletes one file: no longer served or counted, and its upload key free again", async () => {
      const room = generateRoomCode();
      const key = { clientId: randomUUID(), index: 0 };
      const kept = await store.saveFile(newFile(room), { original: trickle(randomBytes(40)) });
      const { file } = await store.saveFile(newFile(room, key), {
        original: trickle(randomBytes(300)),
        thumbnail: trickle(randomBytes(9)),
      });
      expect(await store.roomBytes(room)).toBe(340);
      await store.deleteFile(room, file.id);
      expect(await store.roomBytes(room)).toBe(40);
      expect(await store.getFile(room, file.id)).toBeNull();
      expect(await store.readFile(room, file.id, "thumbnail")).toBeNull();
      expect(await store.findUpload(room, key.clientId, key.index)).toBeNull();
      const again = await store.saveFile(newFile(room, key), { original: trickle(randomBytes(7)) });
      expect(again).toMatchObject({ duplicate: false, file: { size: 7 } });
      expect(await store.getFile(room, kept.file.id)).toEqual(kept.file);
      await store.deleteRoom(room);
    });

    it("refuses names that could be paths", async () => {
      await expect(store.getFile("../etc", "A".repeat(22))).rejects.toThrow(/Unsafe/);
      await expect(
        store.saveFile(newFile(generateRoomCode(), { clientId: "../../x" }), {
          original: trickle(randomBytes(1)),
        }),
      ).rejects.toThrow(/Unsafe/);
    });
  });
}
