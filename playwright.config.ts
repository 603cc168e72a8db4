import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/** A port nobody listens on now. Kept in E2E_PORT so the test workers, which load this file again, agree. */
function freePort(): string {
  const script =
    "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });";
  return execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }).trim();
}
process.env.E2E_PORT ||= freePort();
const PORT = Number(process.env.E2E_PORT);
const dataDir = path.join(__dirname, ".tmp", `e2e-data-${PORT}`);
// Every run starts from an empty database. Test workers load this file too, after the server
// has started: only the runner may empty the folder.
if (process.env.TEST_WORKER_INDEX === undefined) rmSync(dataDir, { recursive: true, force: true });

/** A system Chromium when there is one (machines that cannot download browsers), else Playwright's own. */
const systemChromium = [
  process.env.CHROMIUM_PATH,
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
].find((candidate): candidate is string => Boolean(candidate && existsSync(candidate)));

export default defineConfig({
  testDir: "e2e",
  outputDir: `.tmp/e2e-results-${PORT}`,
  fullyParallel: false,
  workers: 1,
  // No retries: a test that passes only on its second try is a flake to fix, not to hide.
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI
    ? [["list"]]
    : [["list"], ["html", { open: "never", outputFolder: `.tmp/e2e-report-${PORT}` }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: systemChromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        // A LAN-like name for this machine: http://lan.test is not a secure context, localhost is.
        "--host-resolver-rules=MAP lan.test 127.0.0.1",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: "npm start",
    url: `http://127.0.0.1:${PORT}/`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      SESSION_SECRET: "e2e-only-secret-that-is-long-enough-0123456789",
      PRESENCE_GRACE_MS: "1500",
      // One address (127.0.0.1) plays every person of the suite.
      JOIN_ATTEMPTS_PER_HOUR: "1000",
      JOINS_PER_HOUR: "1000",
      ROOM_PAGES_PER_HOUR: "1000",
      // Small, so the over-limit test need not push 25 MB through the browser.
      FILE_MAX_MB: "2",
      // The LAN-like name the launch options map to this machine (not a secure context).
      ALLOWED_HOSTS: `lan.test:${PORT}`,
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
