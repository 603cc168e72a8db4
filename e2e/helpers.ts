import { expect, type Browser, type Page } from "@playwright/test";

/** A new person: their own browser context (own cookies), on the home page. */
export async function newPerson(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/");
  return page;
}

export async function createRoom(page: Page, name: string): Promise<string> {
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Create room" }).click();
  await expect(page).toHaveURL(/\/r\/[A-Z2-9]{6}$/);
  const code = new URL(page.url()).pathname.split("/").at(-1)!;
  await expect(page.getByRole("status")).toHaveText(/Connected/);
  return code;
}

export async function joinRoom(page: Page, name: string, code: string): Promise<void> {
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Room code").fill(code);
  await page.getByRole("button", { name: "Join room" }).click();
  await expect(page).toHaveURL(new RegExp(`/r/${code.toUpperCase()}$`));
  await expect(page.getByRole("status")).toHaveText(/Connected/);
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("textbox", { name: "Message" }).press("Enter");
}

/** The conversation's rendered messages (the log region), for assertions on what a person sees. */
export function messageLog(page: Page) {
  return page.getByRole("log", { name: "Messages" });
}
