// Picks the store the configuration asks for: PostgreSQL when DATABASE_URL is set, else SQLite.
import { ConfigError, type Config } from "../config";
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
  try {
    return openSqliteStore(config.databasePath);
  } catch (error) {
    // An operator's problem (a read-only or missing folder, a full disk): one line, no stack.
    const { code, message } = error as { code?: string; message?: string };
    const reason = `${message ?? String(error)}`.replace(/\s+/g, " ");
    throw new ConfigError(
      `Cannot open the database ${config.databasePath} (DATA_DIR / DATABASE_PATH): ${reason}${code && !reason.includes(code) ? ` [${code}]` : ""}`,
    );
  }
}
