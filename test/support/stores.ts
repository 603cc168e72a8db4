// The stores a suite against a real server runs on: SQLite always, and PostgreSQL when
// DATABASE_URL is set (`npm run test:cluster` runs such suites again with it), in a schema of its
// own that is dropped after.
import { randomUUID } from "node:crypto";
import { Pool } from "pg";
import { afterAll } from "vitest";

/** `[store name, server environment]` pairs for `withTestServer`; call at a suite's top level. */
export function serverStores(schemaPrefix: string): [string, Record<string, string>][] {
  const stores: [string, Record<string, string>][] = [["SQLite", {}]];
  const DATABASE_URL = process.env.DATABASE_URL;
  if (!DATABASE_URL) return stores;
  const schema = `${schemaPrefix}_${randomUUID().replaceAll("-", "")}`;
  stores.push(["PostgreSQL", { DATABASE_URL, DATABASE_SCHEMA: schema }]);
  afterAll(async () => {
    const pool = new Pool({ connectionString: DATABASE_URL });
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });
  return stores;
}
