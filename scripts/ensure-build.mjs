// `npm start` on a fresh clone: build the app first when there is no production build yet.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const distDir = process.env.NEXT_DIST_DIR || ".next";
if (!existsSync(`${distDir}/BUILD_ID`)) {
  console.log("No production build yet: running `next build` once (about a minute)…");
  const result = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
