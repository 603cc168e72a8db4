import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  prettier,
  globalIgnores([
    // Every build folder: parallel test runs build into .next-<name>.
    ".next*/**",
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
    files: ["components/**", "lib/client/**", "lib/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/server/*", "**/server/*"],
              message: "Server-only module: not for browser code.",
            },
          ],
        },
      ],
    },
  },
]);
