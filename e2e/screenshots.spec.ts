// The README's screenshots, taken from a real run: `npm run screenshots` (SCREENSHOTS=1).
// Writes docs/screenshots/{home,room}-{desktop,phone}-{light,dark}.png.
import path from "node:path";
import type { Browser, BrowserContextOptions, Page } from "@playwright/test";
import { createRoom, expect, joinRoom, messagesReading, sendMessage, test } from "./helpers";

const OUTPUT = path.join(__dirname, "..", "docs", "screenshots");
const SCREENS: Record<"desktop" | "phone", BrowserContextOptions> = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true },
};
const THEMES = ["light", "dark"] as const;

test.skip(!process.env.SCREENSHOTS, "Only with SCREENSHOTS=1 (npm run screenshots).");

async function openAs(browser: Browser, screen: keyof typeof SCREENS, from?: Page): Promise<Page> {
  const context = await browser.newContext({
    ...SCREENS[screen],
    storageState: from ? await from.context().storageState() : undefined,
  });
  return context.newPage();
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const colorScheme of THEMES) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: path.join(OUTPUT, `${name}-${colorScheme}.png`) });
  }
}

test("screenshots of the home page", async ({ browser }) => {
  for (const screen of ["desktop", "phone"] as const) {
    const page = await openAs(browser, screen);
    await page.goto("/");
    await expect(page.getByLabel("Your name")).toBeFocused();
    await shoot(page, `home-${screen}`);
    await page.context().close();
  }
});

test("screenshots of a room", async ({ browser, newPerson }) => {
  const alice = await newPerson();
  const code = await createRoom(alice, "Alice");
  const bob = await newPerson();
  await joinRoom(bob, "Bob", code);
  const carol = await newPerson();
  await joinRoom(carol, "Carol", code);

  await sendMessage(alice, "Morning! The agenda for Friday is here: https://example.com/agenda");
  await sendMessage(alice, "Can everyone make 10:00?");
  await sendMessage(carol, "Works for me. I'll book the big room.");
  await sendMessage(bob, "Same here.");
  await sendMessage(bob, "I'll bring the slides from last week.");
  await sendMessage(alice, "@Bob could you send the draft tonight?");
  await expect(messagesReading(bob, "@Bob could you send the draft tonight?")).toBeVisible();

  // Bob's view, on a desktop and on his phone (the same session in a second tab).
  for (const screen of ["desktop", "phone"] as const) {
    const page = await openAs(browser, screen, bob);
    await page.goto(`/r/${code}`);
    await expect(page.getByRole("status")).toHaveText("Connected");
    await expect(messagesReading(page, "@Bob could you send the draft tonight?")).toBeVisible();
    // Typing is forgotten after a few seconds: start it right before the pictures.
    await carol.getByRole("textbox", { name: "Message" }).fill("Sure, ");
    await expect(page.getByText("Carol is typing…")).toBeVisible();
    await shoot(page, `room-${screen}`);
    await carol.getByRole("textbox", { name: "Message" }).fill("");
    await page.context().close();
  }
});
