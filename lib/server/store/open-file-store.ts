// Picks where files live: PostgreSQL when DATABASE_URL is set (shared by every node), else disk.
import type { Config } from "../config";
import { openDiskFileStore } from "./disk-file-store";
import type { FileStore } from "./file-store";
import { openPostgresFileStore } from "./postgres-file-store";

export async function openFileStore(
  config: Pick<Config, "databaseUrl" | "databaseSchema" | "filesDir">,
): Promise<FileStore> {
  if (config.databaseUrl)
    return openPostgresFileStore({
      connectionString: config.databaseUrl,
      schema: config.databaseSchema,
    });
  return openDiskFileStore(config.filesDir);
}
