// Formatted messages as two people see them: Markdown rendered for the reader, the code block's
// Copy button on a secure page and on a plain-http LAN address, and long code on a small phone.
import {
  PHONE,
  createRoom,
  expect,
  expectConnected,
  messageBox,
  messageLog,
  test,
} from "./helpers";

const CODE = `echo "${"a long line that no phone screen is wide enough to show in one piece ".repeat(4).trim()}"\n  cd ~/shared && ls`;
const MESSAGE = [
  "**Ready** for `npm test`?",
  "```sh",
  CODE,
  "```",
  "- first step",
  "- second step",
  "",
  "Docs at https://example.org/docs",
].join("\n");

test("a formatted message reads formatted for the others and its code copies", async ({
  newPerson,
  pageProblems,
  baseURL,
}) => {
  const alice = await newPerson();
  await alice.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const code = await createRoom(alice, "Alice");
  // Bob is on the LAN name over plain http, where the Clipboard API is missing.
  const bob = await newPerson();
  await bob.context().addInitScript(() => {
    document.addEventListener("copy", (event) => {
      const field = event.target instanceof HTMLTextAreaElement ? event.target : null;
      Object.assign(window, { copied: field?.value });
    });
  });
  await bob.goto(`${baseURL!.replace("127.0.0.1", "lan.test")}/r/${code}`);
  await bob.getByLabel("Your name").fill("Bob");
  await bob.getByRole("button", { name: "Join room" }).click();
  await expectConnected(bob);

  await messageBox(alice).fill(MESSAGE);
  await messageBox(alice).press("Enter");

  const log = messageLog(bob);
  await expect(log.locator("strong")).toHaveText("Ready");
  await expect(log.locator(":not(pre) > code")).toHaveText("npm test");
  await expect(log.locator("pre")).toHaveText(`${CODE}\n`);
  await expect(log.locator("ul > li")).toHaveText(["first step", "second step"]);
  const link = log.getByRole("link", { name: "https://example.org/docs" });
  await expect(link).toHaveAttribute("href", "https://example.org/docs");
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(link).toHaveAttribute("rel", "noopener noreferrer nofollow");
  await expect(log.getByText("**")).toHaveCount(0);

  // On a desktop a bubble is as wide as its text up to the usual limit: a short line stays one.
  await messageBox(alice).fill("Short, on one line as typed.");
  await messageBox(alice).press("Enter");
  const short = log.getByText("Short, on one line as typed.");
  const lines = await short.evaluate(
    (text) => text.getBoundingClientRect().height / parseFloat(getComputedStyle(text).lineHeight),
  );
  expect(lines).toBeLessThan(1.5);

  expect(await bob.evaluate(() => window.isSecureContext)).toBe(false);
  const bobsCopy = log.getByRole("button", { name: "Copy code block" });
  await bobsCopy.click();
  await expect(bobsCopy).toHaveText(/Copied/);
  expect(await bob.evaluate(() => (window as { copied?: string }).copied)).toBe(CODE);

  await messageLog(alice).getByRole("button", { name: "Copy code block" }).click();
  await expect.poll(() => alice.evaluate(() => navigator.clipboard.readText())).toBe(CODE);

  // A phone that arrives later gets it from the server-rendered page, already formatted.
  const carol = await newPerson(PHONE);
  await carol.goto(`/r/${code}`);
  await carol.getByLabel("Your name").fill("Carol");
  await carol.getByRole("button", { name: "Join room" }).click();
  await expectConnected(carol);
  const html = await (await carol.request.get(`/r/${code}`)).text();
  expect(html).toContain("<strong>Ready</strong>");
  const block = messageLog(carol).locator("pre");
  await expect(block).toHaveText(`${CODE}\n`);
  // The long line scrolls inside its block; the page itself never scrolls sideways.
  const widths = await block.evaluate((pre) => {
    pre.scrollLeft = 200;
    return {
      scrolled: pre.scrollLeft,
      block: pre.getBoundingClientRect().right,
      page: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    };
  });
  expect(widths.scrolled).toBeGreaterThan(0);
  expect(widths.block).toBeLessThanOrEqual(widths.viewport);
  expect(widths.page).toBeLessThanOrEqual(widths.viewport);

  expect(pageProblems).toEqual([]);
});
