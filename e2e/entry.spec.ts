// The session cookie and the entry budgets, through the home form's real server actions. A server
// of this file's own runs behind a "trusted proxy" (the browser itself, sending X-Forwarded-*), so
// each test is its own client address and the budgets are small enough to use up.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { SESSION_COOKIE, sealSession, unsealSession } from "@/lib/server/session";
import { expect, formError, test } from "./helpers";

const SECRET = "entry-spec-secret-that-is-long-enough-0123456789";
const ROOMS_PER_ADDRESS = 3;
const SESSION = { sessionSecrets: [SECRET], sessionMaxAgeSeconds: 86_400 };

let server: { url: string; process: ChildProcess; dataDir: string };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

test.beforeAll(async () => {
  const port = await freePort();
  const dataDir = path.join(__dirname, "..", ".tmp", `e2e-entry-${port}`);
  // The build the suite's own server was started from (npm start builds it when missing).
  const child = spawn(process.execPath, ["dist/server.js"], {
    cwd: path.join(__dirname, ".."),
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      SESSION_SECRET: SECRET,
      TRUST_PROXY: "1",
      JOIN_ATTEMPTS_PER_HOUR: String(ROOMS_PER_ADDRESS),
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  server = { url: `http://127.0.0.1:${port}`, process: child, dataDir };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answered = await fetch(`${server.url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) break;
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error("The entry spec's server did not start");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});

test.afterAll(async () => {
  const exited = new Promise((resolve) => server.process.once("exit", resolve));
  server.process.kill("SIGTERM");
  await exited;
  rmSync(server.dataDir, { recursive: true, force: true });
});

/** A browser coming through the proxy from `address` (and over https when `https`). */
async function personAt(browser: Browser, address: string, https = false): Promise<Page> {
  const context = await browser.newContext({
    baseURL: server.url,
    extraHTTPHeaders: {
      "x-forwarded-for": address,
      ...(https ? { "x-forwarded-proto": "https" } : {}),
    },
  });
  const page = await context.newPage();
  await page.goto("/");
  return page;
}

/** Presses a home-form button and returns the session cookie its answer set, if any. */
async function submit(page: Page, button: "Create room" | "Join room"): Promise<string | null> {
  const answer = page.waitForResponse(
    (response) => response.request().method() === "POST" && response.url().startsWith(page.url()),
  );
  await page.getByRole("button", { name: button }).click();
  const headers = await (await answer).headersArray();
  return (
    headers.find(
      (header) =>
        header.name.toLowerCase() === "set-cookie" && header.value.startsWith(`${SESSION_COOKIE}=`),
    )?.value ?? null
  );
}

async function create(page: Page, name: string): Promise<string | null> {
  await page.getByLabel("Your name").fill(name);
  return submit(page, "Create room");
}

async function join(page: Page, name: string, code: string): Promise<string | null> {
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Room code").fill(code);
  return submit(page, "Join room");
}

/** The attributes of a Set-Cookie line, lower-cased, without the value. */
function attributes(setCookie: string): string[] {
  return setCookie
    .split(";")
    .slice(1)
    .map((part) => part.trim().toLowerCase());
}

test.describe("the session cookie", () => {
  test("is HttpOnly and SameSite=Lax, and Secure when the browser talks https to our proxy", async ({
    browser,
  }) => {
    const plain = await create(await personAt(browser, "198.51.100.1"), "Plain");
    expect(plain).not.toBeNull();
    expect(attributes(plain!)).toEqual(
      expect.arrayContaining(["httponly", "samesite=lax", "path=/"]),
    );
    expect(attributes(plain!)).not.toContain("secure");

    const viaHttps = await create(await personAt(browser, "198.51.100.2", true), "Secured");
    expect(attributes(viaHttps!)).toEqual(
      expect.arrayContaining(["httponly", "samesite=lax", "secure"]),
    );
  });

  test("is not Secure because of an X-Forwarded-Proto from a client we do not trust", async ({
    newPerson,
  }) => {
    // The suite's own server trusts no proxy: the header is the browser's word only.
    const page = await newPerson({ extraHTTPHeaders: { "x-forwarded-proto": "https" } });
    const cookie = await create(page, "Claimer");
    expect(attributes(cookie!)).toEqual(expect.arrayContaining(["httponly", "samesite=lax"]));
    expect(attributes(cookie!)).not.toContain("secure");
  });

  test("past its lifetime is no session: the room's page asks to join again", async ({
    browser,
  }) => {
    const owner = await personAt(browser, "198.51.100.3");
    const seal = (await create(owner, "Ada"))!.split(";")[0]!.slice(SESSION_COOKIE.length + 1);
    await expect(owner).toHaveURL(/\/r\/[A-Z2-9]{6}$/);
    const roomUrl = owner.url();
    const session = await unsealSession(decodeURIComponent(seal), SESSION);
    expect(session.rooms).toHaveLength(1);

    // The same session sealed long ago (its day and iron's minute of skew are over), and now.
    const realNow = Date.now;
    Date.now = () => realNow() - (SESSION.sessionMaxAgeSeconds + 120) * 1000;
    const expired = await sealSession(session, SESSION).finally(() => (Date.now = realNow));
    const fresh = await sealSession(session, SESSION);

    const visit = async (value: string) => {
      const page = await personAt(browser, "198.51.100.3");
      await page
        .context()
        .addCookies([{ name: SESSION_COOKIE, value, url: server.url, httpOnly: true }]);
      await page.goto(roomUrl);
      return page;
    };
    const returning = await visit(fresh);
    await expect(returning.getByRole("textbox", { name: "Message" })).toBeVisible();
    const stale = await visit(expired);
    await expect(stale.getByRole("button", { name: "Join room" })).toBeVisible();
    await expect(stale.getByRole("textbox", { name: "Message" })).toHaveCount(0);
  });
});

test.describe("entry budgets per address", () => {
  test("the room after the last one allowed is refused, saying when to try again", async ({
    browser,
  }) => {
    const page = await personAt(browser, "203.0.113.10");
    for (let room = 0; room < ROOMS_PER_ADDRESS; room++) {
      await page.goto("/");
      expect(await create(page, "Maker")).not.toBeNull();
      await expect(page).toHaveURL(/\/r\/[A-Z2-9]{6}$/);
    }
    await page.goto("/");
    expect(await create(page, "Maker")).toBeNull();
    await expect(formError(page)).toHaveText(
      /Too many attempts from your network\. Try again in \d+ minutes?\./,
    );
    await expect(page).toHaveURL(`${server.url}/`);
    // Another address still creates rooms.
    expect(await create(await personAt(browser, "203.0.113.11"), "Other")).not.toBeNull();
  });

  test("wrong guesses at codes block an address, even for a right code", async ({ browser }) => {
    const owner = await personAt(browser, "203.0.113.20");
    await create(owner, "Owner");
    await expect(owner).toHaveURL(/\/r\/[A-Z2-9]{6}$/);
    const code = owner.url().split("/").at(-1)!;

    const guesser = await personAt(browser, "203.0.113.21");
    // Well-formed codes of rooms nobody created (this server holds one room).
    const wrong = ["222222", "333333", "444444", "555555"].filter((guess) => guess !== code);
    for (const guess of wrong.slice(0, ROOMS_PER_ADDRESS)) {
      expect(await join(guesser, "Guesser", guess)).toBeNull();
      await expect(formError(guesser)).toHaveText("Room does not exist.");
    }
    expect(await join(guesser, "Guesser", code)).toBeNull();
    await expect(formError(guesser)).toHaveText(/Too many attempts from your network/);

    // Someone at another address joins with the same code.
    const friend = await personAt(browser, "203.0.113.22");
    expect(await join(friend, "Friend", code)).not.toBeNull();
    await expect(friend).toHaveURL(new RegExp(`/r/${code}$`));
  });
});
