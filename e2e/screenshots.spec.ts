// The README's screenshots, taken from a real run: `npm run screenshots` (SCREENSHOTS=1).
// Writes docs/screenshots/{home,room,owner,rooms}-{desktop,phone}-{light,dark}.png.
import path from "node:path";
import type { Browser, BrowserContextOptions, Page } from "@playwright/test";
import { createRoom, expect, joinRoom, messageBox, messageLog, sendMessage, test } from "./helpers";

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

/** A photo of a whiteboard to share: drawn by the browser, so it needs no file in the repository. */
async function whiteboardPhoto(browser: Browser): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 480, height: 300 } });
  await page.setContent(`
    <body style="margin:0;font-family:sans-serif;background:linear-gradient(160deg,#cbd5e1,#94a3b8)">
      <div style="margin:20px;height:260px;border-radius:14px;background:#fff;padding:22px 28px;box-sizing:border-box">
        <div style="font-size:40px;font-weight:700;color:#1e3a8a">Friday 10:00</div>
        <ol style="font-size:28px;line-height:1.45;color:#334155;margin:10px 0 0;padding-left:34px">
          <li>Demo</li>
          <li style="color:#b91c1c">Budget</li>
          <li>Next steps</li>
        </ol>
      </div>
    </body>`);
  const png = await page.screenshot();
  await page.close();
  return png;
}

/** A message in the conversation, found by some of its text (or its image's name). */
function messageWith(page: Page, text: string) {
  return messageLog(page)
    .locator("li[data-seq]")
    .filter({ has: page.getByText(text).or(page.getByRole("img", { name: text })) });
}

async function messageActions(page: Page, text: string) {
  const item = messageWith(page, text);
  await item.hover();
  await item.getByRole("button", { name: "Message actions" }).click();
  return page.getByRole("dialog", { name: "Message actions" });
}

async function react(page: Page, text: string, emoji: string) {
  await (
    await messageActions(page, text)
  )
    .getByRole("button", { name: `React with ${emoji}` })
    .click();
  await expect(
    messageWith(page, text).getByRole("button", { name: new RegExp(`^${emoji} \\d`) }),
  ).toBeVisible();
}

test("screenshots of a room", async ({ browser, newPerson }) => {
  const alice = await newPerson();
  const code = await createRoom(alice, "Alice");
  const bob = await newPerson();
  await joinRoom(bob, "Bob", code);
  const carol = await newPerson();
  await joinRoom(carol, "Carol", code);

  await sendMessage(alice, "Morning! The agenda for Friday is here: https://example.com/agenda");
  await sendMessage(alice, "Can everyone make **10:00**?");
  await sendMessage(carol, "Works for me. I'll book the big room.");
  await carol.getByLabel("Attach files").setInputFiles({
    name: "whiteboard.png",
    mimeType: "image/png",
    buffer: await whiteboardPhoto(browser),
  });
  await messageBox(carol).fill("Yesterday's board");
  const send = carol.getByRole("button", { name: "Send", exact: true });
  await expect(send).toBeEnabled();
  await send.click();
  await sendMessage(
    bob,
    "To try the build before Friday:\n```sh\nnpm ci && npm run build\nPORT=3000 npm start\n```",
  );
  await react(alice, "10:00", "👍");
  await react(bob, "10:00", "👍");
  await react(alice, "whiteboard.png", "❤️");
  await react(bob, "whiteboard.png", "❤️");
  await react(carol, "To try the build", "🎉");
  await (
    await messageActions(alice, "To try the build")
  )
    .getByRole("button", { name: "Reply" })
    .click();
  await sendMessage(
    alice,
    "@Bob works here too! Could you send the draft tonight?\n- the *slides*\n- ~~notes~~ the `demo` link",
  );
  await expect(messageLog(bob).getByRole("img", { name: "whiteboard.png" })).toBeVisible();

  // Bob's view, on a desktop and on his phone (the same session in a second tab).
  for (const screen of ["desktop", "phone"] as const) {
    const page = await openAs(browser, screen, bob);
    await page.goto(`/r/${code}`);
    await expect(page.getByRole("status")).toHaveText("Connected");
    const log = messageLog(page);
    await expect(log.getByRole("img", { name: "whiteboard.png" })).toBeVisible();
    await expect
      .poll(() =>
        log
          .getByRole("img", { name: "whiteboard.png" })
          .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      )
      .toBeGreaterThan(0);
    await expect(log.locator("pre")).toBeVisible();
    await expect(log.locator("mark")).toHaveText("@Bob");
    await expect(log.locator("[data-reply-quote]")).toBeVisible();
    // Typing is forgotten after a few seconds: start it right before the pictures.
    await messageBox(carol).fill("Sure, ");
    await expect(page.getByText("Carol is typing…")).toBeVisible();
    await shoot(page, `room-${screen}`);
    await messageBox(carol).fill("");
    await page.context().close();
  }
});

/** The owner names the room; the others are in it. */
async function ownedRoom(newPerson: () => Promise<Page>, name: string, owner: string) {
  const page = await newPerson();
  const code = await createRoom(page, owner);
  const roomName = page.getByRole("textbox", { name: "Room name" });
  await roomName.fill(name);
  await roomName.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  return { page, code };
}

test("screenshots of the owner's controls", async ({ browser, newPerson }) => {
  const { page: olga, code } = await ownedRoom(newPerson, "Book club", "Olga");
  for (const name of ["Max", "Nina"]) await joinRoom(await newPerson(), name, code);
  await sendMessage(olga, "Welcome! Chapter 3 for Thursday, please.");
  const passphrase = olga.getByLabel("Passphrase", { exact: true });
  await passphrase.fill("chapter three");
  await passphrase.press("Enter");
  await expect(olga.getByRole("button", { name: "Remove passphrase" })).toBeVisible();

  for (const screen of ["desktop", "phone"] as const) {
    const page = await openAs(browser, screen, olga);
    await page.goto(`/r/${code}`);
    await expect(page.getByRole("status")).toHaveText("Connected");
    if (screen === "phone") await page.getByRole("button", { name: /Members/ }).click();
    await expect(page.getByRole("region", { name: "Owner controls" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Remove Nina" })).toBeVisible();
    await shoot(page, `owner-${screen}`);
    await page.context().close();
  }
});

test("screenshots of the home page listing one's rooms with unread counts", async ({
  browser,
  newPerson,
}) => {
  const ann = await newPerson();
  const friend = await newPerson();
  const rooms = [
    { name: "Book club", unread: ["Chapter 3 done!", "Who brings snacks?", "Me"] },
    { name: "Family", unread: ["Dinner at 7?"] },
    { name: "", unread: [] as string[] },
  ];
  for (const [index, room] of rooms.entries()) {
    if (index > 0) await ann.goto("/");
    const code = await createRoom(ann, "Ann");
    if (room.name) {
      const roomName = ann.getByRole("textbox", { name: "Room name" });
      await roomName.fill(room.name);
      await roomName.press("Enter");
      await expect(ann.getByRole("heading", { level: 1, name: room.name })).toBeVisible();
    }
    if (room.unread.length === 0) continue;
    await friend.goto("/");
    await joinRoom(friend, "Sam", code);
    await ann.goto("/");
    for (const text of room.unread) await sendMessage(friend, text);
  }
  await ann.goto("/");
  const list = ann.getByRole("list", { name: "Your rooms" });
  await expect(list.getByRole("listitem")).toHaveCount(3);
  await expect(list).toContainText("3 unread");

  for (const screen of ["desktop", "phone"] as const) {
    const page = await openAs(browser, screen, ann);
    await page.goto("/");
    await expect(page.getByRole("list", { name: "Your rooms" })).toContainText("1 unread");
    await shoot(page, `rooms-${screen}`);
    await page.context().close();
  }
});
