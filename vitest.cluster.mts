import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The cluster suite: real server processes on PostgreSQL and Redis (DATABASE_URL, REDIS_URL).
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: [
      "test/cluster/**/*.test.ts",
      "test/integration/store.test.ts",
      "test/integration/file-store.test.ts",
    ],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
