// Picks where files live: PostgreSQL when DATABASE_URL is set (shared by every node), else disk.
import type { Config } from "../config";
import type { Logger } from "../logger";
import { openDiskFileStore } from "./disk-file-store";
import type { FileStore } from "./file-store";
import { openPostgresFileStore } from "./postgres-file-store";

export async function openFileStore(
  config: Pick<Config, "databaseUrl" | "databaseSchema" | "filesDir">,
  log: Logger,
): Promise<FileStore> {
  if (config.databaseUrl)
    return openPostgresFileStore({
      connectionString: config.databaseUrl,
      schema: config.databaseSchema,
      log,
    });
  return openDiskFileStore(config.filesDir);
}
