// What the specs share: a `newPerson` fixture (one browser context per person, closed after the
// test) and the few steps every chat test takes, written the way a person would take them.
import path from "node:path";
import {
  test as base,
  expect,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from "@playwright/test";

/** The end-to-end server's SQLite file (playwright.config.ts). */
export const E2E_DATABASE_PATH = path.join(
  __dirname,
  "..",
  ".tmp",
  `e2e-data-${process.env.E2E_PORT ?? 3210}`,
  "roomcode.db",
);

/** How long a member may be without a connection before the others see them offline (playwright.config.ts). */
export const PRESENCE_GRACE_MS = 1500;

export const test = base.extend<{
  /** A new person: their own browser context (own cookies, e.g. a phone's screen), on the home page. */
  newPerson: (options?: BrowserContextOptions) => Promise<Page>;
  /** Content-Security-Policy violations and uncaught errors in any page of any person so far. */
  pageProblems: string[];
}>({
  pageProblems: async ({}, provide) => {
    await provide([]);
  },
  newPerson: async ({ browser, pageProblems }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async (options) => {
      const context = await browser.newContext(options);
      contexts.push(context);
      // Listening on the context, before the first page opens, misses nothing from any tab.
      context.on("console", (message) => {
        if (message.text().includes("Content Security Policy")) pageProblems.push(message.text());
      });
      context.on("weberror", (error) => pageProblems.push(String(error.error())));
      const page = await context.newPage();
      await page.goto("/");
      return page;
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
});

export { expect };

export async function createRoom(page: Page, name: string): Promise<string> {
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Create room" }).click();
  await expect(page).toHaveURL(/\/r\/[A-Z2-9]{6}$/);
  const code = new URL(page.url()).pathname.split("/").at(-1)!;
  await expectConnected(page);
  return code;
}

export async function joinRoom(page: Page, name: string, code: string): Promise<void> {
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Room code").fill(code);
  await page.getByRole("button", { name: "Join room" }).click();
  await expect(page).toHaveURL(new RegExp(`/r/${code.toUpperCase()}$`));
  await expectConnected(page);
}

/** Someone who created a room, and a second person who joined it by its code. */
export async function twoPeopleInARoom(
  newPerson: () => Promise<Page>,
  names: [string, string] = ["Alice", "Bob"],
): Promise<{ alice: Page; bob: Page; code: string }> {
  const alice = await newPerson();
  const code = await createRoom(alice, names[0]);
  const bob = await newPerson();
  await joinRoom(bob, names[1], code);
  await expect(notice(alice, `${names[1]} joined`)).toHaveCount(1);
  return { alice, bob, code };
}

export async function expectConnected(page: Page): Promise<void> {
  await expect(page.getByRole("status")).toHaveText("Connected");
}

export function messageBox(page: Page) {
  return page.getByRole("textbox", { name: "Message" });
}

/** Types a message and presses Enter; the box empties once the message is on its way. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  await messageBox(page).fill(text);
  await messageBox(page).press("Enter");
  await expect(messageBox(page)).toHaveValue("");
}

/** The conversation's rendered messages (the log region), for assertions on what a person sees. */
export function messageLog(page: Page) {
  return page.getByRole("log", { name: "Messages" });
}

/** Every place a message's text is shown in the conversation (delivered or waiting to be sent). */
export function messagesReading(page: Page, text: string) {
  return messageLog(page).getByText(text, { exact: true });
}

/** A message as shown in the log, with its author line. */
export function messageItem(page: Page, text: string) {
  return messageLog(page)
    .getByRole("listitem")
    .filter({ has: page.getByText(text, { exact: true }) });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The conversation line that shows a notice, e.g. "Bob joined", found by its visible text: runs
 * of notices share one line ("Alice and Bob joined · Olga locked the room · 10:32"), so the person
 * may be one of several names before the verb, within one " · " part of the line.
 */
export function notice(page: Page, text: string) {
  const [, who = "", what = ""] = /^(\S+) (.+)$/.exec(text) ?? [];
  const others = "[^·]*?(?:, | and )";
  const part = new RegExp(
    `(?:^|· )(?:${others})?${escapeRegExp(who)}(?:(?:, | and )[^·]*?)? ${escapeRegExp(what)}`,
  );
  return messageLog(page).locator("li[data-notice-line]").filter({ hasText: part, visible: true });
}

/** Messages still in the outbox (not yet acknowledged by the server). */
export function outbox(page: Page, state: "pending" | "failed") {
  return page.locator(`[data-outbox="${state}"]`);
}

export function memberList(page: Page) {
  return page.getByRole("list", { name: "Members" });
}

/** The names in the member list, in order ("(you)" marks are part of the text). */
export function members(page: Page) {
  return memberList(page).getByRole("listitem");
}

/** The home form's error line (scoped to the form: Next's route announcer is an alert too). */
export function formError(page: Page) {
  return page.locator("form").getByRole("alert");
}

/** The screens people tripped on: a small phone (touch keyboard) and a laptop. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  isMobile: true,
  hasTouch: true,
};
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1440, height: 900 } };

/** Whether the element lies wholly inside the viewport horizontally (not pushed off to the side). */
export async function withinViewportWidth(page: Page, locator: ReturnType<Page["locator"]>) {
  const box = await locator.boundingBox();
  const width = page.viewportSize()!.width;
  return box !== null && box.x >= 0 && box.x + box.width <= width + 0.5;
}

/** Leave room, confirmed in its dialog. */
export async function leaveRoom(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Leave room" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Leave", exact: true }).click();
}

/** Pretends the tab went into the background (or came back): headless tabs are always visible. */
export async function setTabHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hidden) => {
    const state = hidden ? "hidden" : "visible";
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

export async function sendMessages(page: Page, texts: string[]): Promise<void> {
  for (const text of texts) await sendMessage(page, text);
  await expect(messagesReading(page, texts.at(-1)!)).toBeVisible();
}

/**
 * Types and sends messages from inside the page, through the same composer a person uses but
 * far faster than anyone types (or than one test step per keystroke could, on a busy machine).
 */
export async function sendInOneBurst(page: Page, texts: string[]): Promise<void> {
  await messageBox(page).evaluate(async (box: HTMLTextAreaElement, texts) => {
    const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!;
    const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
    for (const text of texts) {
      setValue.call(box, text);
      box.dispatchEvent(new Event("input", { bubbles: true }));
      await nextTask();
      box.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
      await nextTask();
    }
  }, texts);
}
