// Before the browser tests: use a system Chromium when there is one (CHROMIUM_PATH or the usual
// paths); otherwise make sure Playwright's own Chromium is installed.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

const system = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (candidate) => candidate && existsSync(candidate),
);
if (!system && !existsSync(chromium.executablePath())) {
  console.log("No Chromium found: installing Playwright's own (once).");
  const result = spawnSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
