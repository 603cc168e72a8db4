import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier";

const serverOnly = {
  group: ["@/lib/server/*", "**/server/*"],
  message: "Server-only module: not for browser code.",
};
const zodFree = {
  group: ["zod", "@/lib/validation", "**/validation"],
  allowTypeImports: true,
  message: "zod stays out of the browser bundle: use lib/text-rules.ts and lib/chat-events.ts.",
};

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  prettier,
  globalIgnores([
    // Every build folder: parallel test runs build into .next-<name>.
    ".next*/**",
    // The compiled server (npm run build).
    "dist/**",
    ".tmp/**",
    "node_modules/**",
    "next-env.d.ts",
    "bench/results/**",
    "playwright-report/**",
    "test-results/**",
  ]),
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Browser code must never pull in server modules (secrets, the store, native bindings).
    files: ["lib/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [serverOnly] }] },
  },
  {
    // What the room page loads stays free of zod: it would outweigh the page's own code.
    files: ["components/**", "lib/client/**", "lib/chat-events.ts", "lib/text-rules.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [serverOnly, zodFree] }] },
  },
]);
