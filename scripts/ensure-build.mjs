// `npm start`: build the app and the server first when there is no production build, or when the
// sources changed since the last one (a `git pull`), so a stale build never serves new code.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const distDir = process.env.NEXT_DIST_DIR || ".next";
const SOURCES = [
  "app",
  "components",
  "lib",
  "public",
  "server.ts",
  "proxy.ts",
  "next.config.ts",
  "tsconfig.json",
  "package-lock.json",
  "postcss.config.mjs",
  "scripts/build-server.mjs",
];
/** Both halves of `npm run build`: the Next app and the compiled server. */
const OUTPUTS = [path.join(distDir, "BUILD_ID"), path.join("dist", "server.js")];

function newestChange(entry) {
  if (!existsSync(entry)) return 0;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(
    stats.mtimeMs,
    ...readdirSync(entry).map((name) => newestChange(path.join(entry, name))),
  );
}

const builtAt = Math.min(...OUTPUTS.map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)));
const changedAt = Math.max(...SOURCES.map(newestChange));
if (changedAt > builtAt) {
  try {
    createRequire(import.meta.url).resolve("esbuild");
  } catch {
    // `npm ci --omit=dev` installs what runs the app, not what builds it.
    console.error(
      "No up-to-date build, and the build tools are not installed (dev dependencies).\n" +
        "Build where they are (`npm install && npm run build`) and ship .next/ and dist/, or run `npm install` here.",
    );
    process.exit(1);
  }
  console.log(
    builtAt
      ? "Sources changed since the last build: rebuilding the app and the server…"
      : "No production build yet: building the app and the server once (about a minute)…",
  );
  const result = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
