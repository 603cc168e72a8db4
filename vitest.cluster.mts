import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The cluster suite: real server processes on PostgreSQL and Redis (DATABASE_URL, REDIS_URL), and
// the suites that run on both stores again with PostgreSQL (`npm run test:unit` has no database).
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: [
      "test/cluster/**/*.test.ts",
      "test/integration/store.test.ts",
      "test/integration/file-store.test.ts",
      "test/integration/owners.test.ts",
      "test/integration/attacks.test.ts",
    ],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
