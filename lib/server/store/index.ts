// Picks the store the configuration asks for: PostgreSQL when DATABASE_URL is set, else SQLite.
import type { Config } from "../config";
import type { Logger } from "../logger";
import { openPostgresStore } from "./postgres";
import { openSqliteStore } from "./sqlite";
import type { ChatStore } from "./types";

export async function openStore(
  config: Pick<Config, "databaseUrl" | "databaseSchema" | "databasePath">,
  log: Logger,
): Promise<ChatStore> {
  if (config.databaseUrl) {
    return openPostgresStore({
      connectionString: config.databaseUrl,
      schema: config.databaseSchema,
      log,
    });
  }
  return openSqliteStore(config.databasePath);
}
