import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["test/unit/**/*.test.{ts,tsx}", "test/integration/**/*.test.ts"],
    // test/cluster (real server processes on PostgreSQL and Redis) runs with `npm run test:cluster`.
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real servers; running files one at a time keeps 2 cores honest.
    fileParallelism: false,
  },
});
