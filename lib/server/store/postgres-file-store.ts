// Uploaded files in PostgreSQL, so every node serves every file with nothing new to run: a row
// per file and its bytes in fixed-size bytea chunks, written and read one chunk at a time.
import type { Readable } from "node:stream";
import { Readable as ReadableStream } from "node:stream";
import { Pool, type PoolClient } from "pg";
import {
  assertSafeName,
  newFileId,
  type ByteRange,
  type FileStore,
  type FileVariant,
  type StoredFile,
} from "./file-store";
import { bigintsAsNumbers, ensureSchema, inTransaction, SCHEMA_NAME } from "./postgres";
import type { Logger } from "../logger";

/** Bytes per stored chunk: a range request reads only the chunks it covers. */
export const CHUNK_BYTES = 256 * 1024;
/** Uploads get a pool of their own, so a burst of them never makes chat messages wait. */
const POOL_SIZE = 4;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY,
    room_code TEXT NOT NULL,
    uploader_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    size BIGINT NOT NULL,
    width INTEGER,
    height INTEGER,
    thumbnail BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (room_code, client_id, idx)
  );
  CREATE TABLE IF NOT EXISTS file_chunks (
    file_id TEXT NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    variant TEXT NOT NULL,
    n INTEGER NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (file_id, variant, n)
  );`;

const FILE_COLUMNS = `id, room_code AS "roomCode", uploader_id AS "uploaderId", client_id AS "clientId",
  idx AS "index", name, type, size, width, height, thumbnail, created_at AS "createdAt"`;

type FileRow = Omit<StoredFile, "width" | "height"> & {
  width: number | null;
  height: number | null;
};

function toFile(row: FileRow): StoredFile {
  const { width, height, ...rest } = row;
  return { ...rest, ...(width !== null && height !== null ? { width, height } : {}) };
}

/** Re-cuts a stream into chunks of exactly CHUNK_BYTES (the last may be shorter). */
async function* chunks(source: Readable): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for await (const piece of source as AsyncIterable<Buffer>) {
    pending.push(piece);
    length += piece.length;
    while (length >= CHUNK_BYTES) {
      const joined = Buffer.concat(pending, length);
      yield joined.subarray(0, CHUNK_BYTES);
      pending = [joined.subarray(CHUNK_BYTES)];
      length -= CHUNK_BYTES;
    }
  }
  if (length > 0) yield Buffer.concat(pending, length);
}

async function writeChunks(
  client: PoolClient,
  fileId: string,
  variant: FileVariant,
  source: Readable,
): Promise<number> {
  let n = 0;
  let size = 0;
  for await (const chunk of chunks(source)) {
    await client.query(
      "INSERT INTO file_chunks (file_id, variant, n, data) VALUES ($1, $2, $3, $4)",
      [fileId, variant, n++, chunk],
    );
    size += chunk.length;
  }
  return size;
}

export async function openPostgresFileStore(options: {
  connectionString: string;
  schema?: string;
  log: Logger;
}): Promise<FileStore> {
  const { connectionString, schema, log } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema))
    throw new Error(`Invalid PostgreSQL schema name "${schema}".`);
  const pool = new Pool({
    connectionString,
    max: POOL_SIZE,
    types: bigintsAsNumbers(),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle connection dropped by the server is replaced on next use, and the next query reports
  // a database that is really gone; unhandled, this event would crash the process.
  pool.on("error", (error) =>
    log.error({ err: error, step: "postgres idle connection" }, "PostgreSQL connection failed"),
  );
  await inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [
      `roomcode-chat file store ${schema ?? ""}`,
    ]);
    if (schema) await ensureSchema(client, schema);
    await client.query(SCHEMA);
  }).catch(async (error: unknown) => {
    await pool.end();
    throw error;
  });

  // Parameters make any name harmless here; the same refusal as on disk keeps one contract.
  async function getFile(roomCode: string, id: string): Promise<StoredFile | null> {
    assertSafeName(roomCode, id);
    const { rows } = await pool.query<FileRow>(
      `SELECT ${FILE_COLUMNS} FROM files WHERE room_code = $1 AND id = $2`,
      [roomCode, id],
    );
    return rows[0] ? toFile(rows[0]) : null;
  }

  async function findUpload(roomCode: string, clientId: string, index: number) {
    assertSafeName(roomCode, clientId);
    const { rows } = await pool.query<FileRow>(
      `SELECT ${FILE_COLUMNS} FROM files WHERE room_code = $1 AND client_id = $2 AND idx = $3`,
      [roomCode, clientId, index],
    );
    return rows[0] ? toFile(rows[0]) : null;
  }

  /** One chunk per query, so memory stays at a chunk whatever the file's size. */
  async function* readChunks(id: string, variant: FileVariant, range?: ByteRange) {
    const first = range ? Math.floor(range.start / CHUNK_BYTES) : 0;
    const last = range ? Math.floor(range.end / CHUNK_BYTES) : Infinity;
    for (let n = first; n <= last; n++) {
      const { rows } = await pool.query<{ data: Buffer }>(
        "SELECT data FROM file_chunks WHERE file_id = $1 AND variant = $2 AND n = $3",
        [id, variant, n],
      );
      const data = rows[0]?.data;
      if (!data) return;
      const from = range && n === first ? range.start - n * CHUNK_BYTES : 0;
      const to = range && n === last ? range.end - n * CHUNK_BYTES + 1 : data.length;
      yield data.subarray(from, to);
    }
  }

  return {
    findUpload,
    getFile,

    async saveFile(file, content) {
      assertSafeName(file.roomCode, file.clientId);
      const id = newFileId();
      try {
        const saved = await inTransaction(pool, async (client) => {
          // A concurrent upload under the same key waits here for the first to commit.
          const claimed = await client.query(
            `INSERT INTO files (id, room_code, uploader_id, client_id, idx, name, type, size, width, height, thumbnail, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10, $11)
             ON CONFLICT (room_code, client_id, idx) DO NOTHING`,
            [
              id,
              file.roomCode,
              file.uploaderId,
              file.clientId,
              file.index,
              file.name,
              file.type,
              file.width ?? null,
              file.height ?? null,
              content.thumbnail !== undefined,
              file.createdAt,
            ],
          );
          if (claimed.rowCount === 0) return null;
          const size = await writeChunks(client, id, "original", content.original);
          if (content.thumbnail) await writeChunks(client, id, "thumbnail", content.thumbnail);
          await client.query("UPDATE files SET size = $2 WHERE id = $1", [id, size]);
          return true;
        });
        const stored = saved
          ? await getFile(file.roomCode, id)
          : await findUpload(file.roomCode, file.clientId, file.index);
        if (!stored) throw new Error(`File ${id} was stored but cannot be read back.`);
        return { file: stored, duplicate: !saved };
      } finally {
        content.original.destroy();
        content.thumbnail?.destroy();
      }
    },

    async readFile(roomCode, id, variant, range) {
      const file = await getFile(roomCode, id);
      if (!file || (variant === "thumbnail" && !file.thumbnail)) return null;
      return ReadableStream.from(readChunks(id, variant, range), { objectMode: false });
    },

    async deleteFile(roomCode, id) {
      // Its chunks go with it (ON DELETE CASCADE), and the row held its upload key.
      await pool.query("DELETE FROM files WHERE room_code = $1 AND id = $2", [roomCode, id]);
    },

    async roomBytes(roomCode) {
      const { rows } = await pool.query<{ total: number }>(
        "SELECT COALESCE(SUM(size), 0)::bigint AS total FROM files WHERE room_code = $1",
        [roomCode],
      );
      return rows[0]?.total ?? 0;
    },

    async deleteRoom(roomCode) {
      await pool.query("DELETE FROM files WHERE room_code = $1", [roomCode]);
    },

    async ping() {
      await pool.query("SELECT 1");
    },

    async close() {
      await pool.end();
    },
  };
}
