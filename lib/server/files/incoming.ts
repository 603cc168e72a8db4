// Where uploads lie while they are received and processed, and the sweep that removes what a
// killed process (kill -9, a crash, a power cut) left there: no `finally` ran to remove it.
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "../logger";
import { TEMP_PREFIX } from "../store/disk-file-store";

export function incomingDir(filesDir: string): string {
  return path.join(filesDir, ".incoming");
}

/**
 * A temporary file not written for this long belongs to no upload under way: a request body must
 * arrive within Node's five-minute request timeout, and processing a received file takes seconds.
 */
export const STALE_UPLOAD_MS = 15 * 60_000;

/**
 * Removes received uploads and half-stored files last written before `before` (ms since epoch):
 * everything in the incoming folder, and the disk store's temporary names in room folders.
 * Answers how many were removed.
 */
export async function removeStaleUploads(filesDir: string, before: number): Promise<number> {
  const incoming = incomingDir(filesDir);
  const rooms = (await namesIn(filesDir)).filter((name) => !name.startsWith("."));
  const roomTemps = await Promise.all(
    rooms.map(async (room) =>
      (await namesIn(path.join(filesDir, room)))
        .filter((name) => name.startsWith(TEMP_PREFIX))
        .map((name) => path.join(filesDir, room, name)),
    ),
  );
  const candidates = [
    ...(await namesIn(incoming)).map((name) => path.join(incoming, name)),
    ...roomTemps.flat(),
  ];
  let removed = 0;
  for (const file of candidates) {
    const stats = await stat(file).catch(() => null);
    if (!stats || stats.mtimeMs >= before) continue;
    await rm(file, { force: true, recursive: true });
    removed++;
  }
  return removed;
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * Sweeps once before the server starts, then every STALE_UPLOAD_MS while it runs (a process that
 * is killed and restarted within that time leaves files too young for the first sweep).
 */
export async function sweepStaleUploads(filesDir: string, log: Logger): Promise<() => void> {
  const sweep = async () => {
    const removed = await removeStaleUploads(filesDir, Date.now() - STALE_UPLOAD_MS);
    if (removed > 0) log.info({ removed }, "removed uploads left unfinished by an earlier process");
  };
  await sweep();
  const timer = setInterval(() => {
    sweep().catch((error: unknown) => log.error({ err: error }, "sweeping stale uploads failed"));
  }, STALE_UPLOAD_MS);
  timer.unref();
  return () => clearInterval(timer);
}
