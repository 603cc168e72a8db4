// Uploaded files on local disk: one folder per room, so deleting a room is one removal.
// <dir>/<room>/<id> and <id>.thumbnail hold the bytes, <id>.json what messages show of it,
// keys/<clientId>.<index> the id stored under an upload key (created atomically, once).
import { createReadStream, createWriteStream } from "node:fs";
import { link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  assertSafeName,
  newFileId,
  type FileContent,
  type FileStore,
  type StoredFile,
} from "./file-store";

/** Names being written; a file under one is never served or counted. */
export const TEMP_PREFIX = ".tmp-";

export function openDiskFileStore(dir: string): FileStore {
  const roomDir = (roomCode: string) => {
    assertSafeName(roomCode);
    return path.join(dir, roomCode);
  };
  const keyPath = (roomCode: string, clientId: string, index: number) => {
    assertSafeName(clientId);
    return path.join(roomDir(roomCode), "keys", `${clientId}.${Math.trunc(index)}`);
  };

  async function getFile(roomCode: string, id: string): Promise<StoredFile | null> {
    assertSafeName(id);
    try {
      return JSON.parse(await readFile(path.join(roomDir(roomCode), `${id}.json`), "utf8"));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async function findUpload(roomCode: string, clientId: string, index: number) {
    try {
      return await getFile(roomCode, await readFile(keyPath(roomCode, clientId, index), "utf8"));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  /**
   * Moves a whole file into place when one is given, else streams into a temporary name and
   * renames: either way a half-written file is never served.
   */
  async function writeBlob(
    folder: string,
    name: string,
    source: Readable,
    movable?: string,
  ): Promise<number> {
    const target = path.join(folder, name);
    if (movable !== undefined) {
      try {
        await rename(movable, target);
        source.destroy();
        return (await stat(target)).size;
      } catch (error) {
        // Another disk (a data folder mounted elsewhere): copy it like any stream.
        if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
      }
    }
    const temp = path.join(folder, `${TEMP_PREFIX}${name}`);
    try {
      await pipeline(source, createWriteStream(temp, { flags: "wx" }));
      const { size } = await stat(temp);
      await rename(temp, target);
      return size;
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  return {
    findUpload,
    getFile,

    async saveFile(file, content: FileContent) {
      const folder = roomDir(file.roomCode);
      const key = keyPath(file.roomCode, file.clientId, file.index);
      await mkdir(path.dirname(key), { recursive: true });
      const id = newFileId();
      const names = [id, `${id}.thumbnail`, `${id}.json`];
      try {
        const { movable } = content;
        const size = await writeBlob(folder, id, content.original, movable?.original);
        if (content.thumbnail)
          await writeBlob(folder, `${id}.thumbnail`, content.thumbnail, movable?.thumbnail);
        const stored: StoredFile = {
          ...file,
          id,
          size,
          thumbnail: content.thumbnail !== undefined,
        };
        await writeFile(path.join(folder, `${TEMP_PREFIX}${id}.json`), JSON.stringify(stored));
        await rename(
          path.join(folder, `${TEMP_PREFIX}${id}.json`),
          path.join(folder, `${id}.json`),
        );
        // link() fails when the key exists: of two uploads under one key, exactly one wins.
        await writeFile(path.join(folder, `${TEMP_PREFIX}${id}.key`), id);
        try {
          await link(path.join(folder, `${TEMP_PREFIX}${id}.key`), key);
        } finally {
          await rm(path.join(folder, `${TEMP_PREFIX}${id}.key`), { force: true });
        }
        return { file: stored, duplicate: false };
      } catch (error) {
        content.original.destroy();
        content.thumbnail?.destroy();
        await Promise.all(names.map((name) => rm(path.join(folder, name), { force: true })));
        const isDuplicate = (error as NodeJS.ErrnoException).code === "EEXIST";
        const stored = isDuplicate
          ? await findUpload(file.roomCode, file.clientId, file.index)
          : null;
        if (!stored) throw error;
        return { file: stored, duplicate: true };
      }
    },

    async readFile(roomCode, id, variant, range) {
      const file = await getFile(roomCode, id);
      if (!file || (variant === "thumbnail" && !file.thumbnail)) return null;
      const name = variant === "thumbnail" ? `${id}.thumbnail` : id;
      return createReadStream(path.join(roomDir(roomCode), name), range);
    },

    async deleteFile(roomCode, id) {
      const file = await getFile(roomCode, id);
      if (!file) return;
      const folder = roomDir(roomCode);
      // The description goes first: from then on the file is neither served nor counted.
      await rm(path.join(folder, `${id}.json`), { force: true });
      await Promise.all(
        [path.join(folder, id), path.join(folder, `${id}.thumbnail`)].map((name) =>
          rm(name, { force: true }),
        ),
      );
      const key = keyPath(roomCode, file.clientId, file.index);
      if ((await readFile(key, "utf8").catch(() => null)) === id) await rm(key, { force: true });
    },

    async roomBytes(roomCode) {
      let names: string[];
      try {
        names = await readdir(roomDir(roomCode));
      } catch (error) {
        if (isMissing(error)) return 0;
        throw error;
      }
      const metas = names.filter((name) => name.endsWith(".json") && !name.startsWith(TEMP_PREFIX));
      const files = await Promise.all(metas.map((name) => getFile(roomCode, name.slice(0, -5))));
      return files.reduce((total, stored) => total + (stored?.size ?? 0), 0);
    },

    async deleteRoom(roomCode) {
      await rm(roomDir(roomCode), { recursive: true, force: true });
    },

    async ping() {
      await mkdir(dir, { recursive: true });
    },

    async close() {},
  };
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === "ENOENT";
}
