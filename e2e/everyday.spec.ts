// The room as newcomers use it: the home form by keyboard, long text on a phone, focus, limits.
import type { Page } from "@playwright/test";
import {
  createRoom,
  DESKTOP,
  expect,
  expectConnected,
  formError,
  joinRoom,
  leaveRoom,
  memberList,
  messageBox,
  messageItem,
  messageLog,
  messagesReading,
  notice,
  outbox,
  PHONE,
  sendInOneBurst,
  sendMessage,
  setTabHidden,
  test,
  twoPeopleInARoom,
  withinViewportWidth,
} from "./helpers";

/**
 * The home form focuses the name field once it is live: keys a fast typist presses before that
 * land nowhere, so a test types only after it (a test that raced it read "ob joined").
 */
const expectNameFieldFocused = (page: Page) => expect(page.getByLabel("Your name")).toBeFocused();

test.describe("the home form by keyboard", () => {
  test("Enter in the room code field joins that room, not a new one", async ({ newPerson }) => {
    const alice = await newPerson();
    const code = await createRoom(alice, "Alice");

    const bob = await newPerson();
    await expectNameFieldFocused(bob);
    await bob.keyboard.type("Bob");
    await bob.getByLabel("Room code").focus();
    await bob.keyboard.type(code.toLowerCase());
    await bob.keyboard.press("Enter");
    await expect(bob).toHaveURL(new RegExp(`/r/${code}$`));
    await expectConnected(bob);
    await expect(notice(alice, "Bob joined")).toHaveCount(1);
  });

  test("Enter in the name field joins the typed code, or creates a room when there is none", async ({
    newPerson,
  }) => {
    const alice = await newPerson();
    const code = await createRoom(alice, "Alice");

    const carol = await newPerson();
    await carol.getByLabel("Room code").fill(code);
    await carol.getByLabel("Your name").focus();
    await carol.keyboard.type("Carol");
    await carol.keyboard.press("Enter");
    await expect(carol).toHaveURL(new RegExp(`/r/${code}$`));

    const dan = await newPerson();
    await expectNameFieldFocused(dan);
    await dan.keyboard.type("Dan");
    await dan.keyboard.press("Enter");
    await expect(dan).toHaveURL(/\/r\/[A-Z2-9]{6}$/);
    expect(dan.url()).not.toContain(code);
  });

  test("an error shows at its field, marks it invalid and puts focus back there", async ({
    newPerson,
  }) => {
    const dana = await newPerson();
    await expectNameFieldFocused(dana);
    await dana.keyboard.type("Dana");
    await dana.getByLabel("Room code").focus();
    await dana.keyboard.type("ABC");
    await dana.keyboard.press("Enter");

    const code = dana.getByLabel("Room code");
    await expect(code).toBeFocused();
    await expect(code).toHaveAttribute("aria-invalid", "true");
    await expect(code).toHaveAccessibleDescription("Room codes have 6 characters.");
    await expect(formError(dana)).toHaveText("Room codes have 6 characters.");
    // Shown under the code field, above the Join button, not at the end of the form.
    const errorBox = (await dana
      .getByText("Room codes have 6 characters.", { exact: true })
      .first()
      .boundingBox())!;
    const joinBox = (await dana.getByRole("button", { name: "Join room" }).boundingBox())!;
    expect(errorBox.y).toBeLessThan(joinBox.y);

    await code.fill("ABCDEFGH");
    // The same message as before: wait for this attempt's answer, not the last one's.
    const answered = dana.waitForResponse((response) => response.request().method() === "POST");
    await dana.keyboard.press("Enter");
    await answered;
    await expect(dana.locator("form")).toHaveAttribute("aria-busy", "false");
    await expect(formError(dana)).toHaveText("Room codes have 6 characters.");

    await dana.getByLabel("Your name").fill("");
    await dana.keyboard.press("Enter");
    await expect(dana.getByLabel("Your name")).toBeFocused();
    await expect(dana.getByLabel("Your name")).toHaveAccessibleDescription("Please enter a name.");
    await expect(code).not.toHaveAttribute("aria-invalid", "true");
  });
});

test.describe("writing", () => {
  const longLink = `https://maps.example.com/place/${"a1B2c3D4e5".repeat(140)}`;

  test("a long unbroken link wraps: Send stays on a phone's screen, the bubble fits", async ({
    newPerson,
  }) => {
    const alice = await newPerson(PHONE);
    await createRoom(alice, "Alice");
    await messageBox(alice).fill(longLink);
    const send = alice.getByRole("button", { name: "Send" });
    expect(await withinViewportWidth(alice, send)).toBe(true);
    expect(await withinViewportWidth(alice, messageBox(alice))).toBe(true);

    await send.tap();
    const sent = messagesReading(alice, longLink);
    await expect(sent).toBeVisible();
    expect(await withinViewportWidth(alice, sent)).toBe(true);
    const pageWidth = await alice.evaluate(() => document.documentElement.scrollWidth);
    expect(pageWidth).toBeLessThanOrEqual(360);
  });

  test("on a desktop 2,000 unbroken characters keep the header and the list in view", async ({
    newPerson,
  }) => {
    const alice = await newPerson(DESKTOP);
    await createRoom(alice, "Alice");
    await messageBox(alice).fill("x".repeat(2000));
    const leave = alice.getByRole("button", { name: "Leave room" });
    expect(await withinViewportWidth(alice, leave)).toBe(true);
    expect(await withinViewportWidth(alice, alice.getByRole("button", { name: "Send" }))).toBe(
      true,
    );
    expect(await alice.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      1440,
    );
  });

  test("the message box has focus on arrival and keeps it after Send is clicked", async ({
    newPerson,
  }) => {
    const alice = await newPerson();
    await createRoom(alice, "Alice");
    await expect(messageBox(alice)).toBeFocused();
    await alice.keyboard.type("Hello by keyboard");
    await alice.keyboard.press("Enter");
    await expect(messagesReading(alice, "Hello by keyboard")).toBeVisible();

    await alice.keyboard.type("Hello by mouse");
    await alice.getByRole("button", { name: "Send" }).click();
    await expect(messagesReading(alice, "Hello by mouse")).toBeVisible();
    await expect(messageBox(alice)).toBeFocused();
    await alice.keyboard.type("and on");
    await expect(messageBox(alice)).toHaveValue("and on");
  });

  test("on a touch screen Enter makes a new line and tapping Send sends, keeping the keyboard", async ({
    newPerson,
  }) => {
    const alice = await newPerson(PHONE);
    await createRoom(alice, "Alice");
    await messageBox(alice).tap();
    await alice.keyboard.type("Shopping list:");
    await alice.keyboard.press("Enter");
    await alice.keyboard.type("milk");
    await expect(messageBox(alice)).toHaveValue("Shopping list:\nmilk");
    await expect(messageLog(alice)).not.toContainText("Shopping list");

    await alice.getByRole("button", { name: "Send" }).tap();
    await expect(messageLog(alice).getByText(/^Shopping list:\s+milk$/)).toHaveCount(1);
    await expect(messageBox(alice)).toHaveValue("");
    await expect(messageBox(alice)).toBeFocused();
  });

  test("near the limit a counter shows, and over it the text is refused with a message, not cut", async ({
    newPerson,
  }) => {
    const alice = await newPerson();
    await createRoom(alice, "Alice");
    await messageBox(alice).fill("a".repeat(1950));
    await expect(alice.getByText("50 characters left")).toBeVisible();

    const tooLong = "b".repeat(2010);
    await messageBox(alice).fill(tooLong);
    await expect(messageBox(alice)).toHaveValue(tooLong);
    await expect(alice.getByText("10 over the 2000-character limit")).toBeVisible();
    await expect(messageBox(alice)).toHaveAttribute("aria-invalid", "true");
    await messageBox(alice).press("Enter");
    await expect(
      alice.getByRole("alert").filter({ hasText: "at most 2000 characters" }),
    ).toBeVisible();
    await expect(messageBox(alice)).toHaveValue(tooLong);
    await expect(messageLog(alice)).not.toContainText("bbbb");
  });
});

test.describe("ends and wrong turns", () => {
  test("after Leave room in one tab, the other freezes: read-only, controls off, one way back", async ({
    newPerson,
  }) => {
    const { alice, bob } = await twoPeopleInARoom(newPerson);
    await sendMessage(bob, "Still readable");
    const second = await alice.context().newPage();
    await second.goto(alice.url());
    await expectConnected(second);
    await leaveRoom(alice);
    await expect(alice).toHaveURL(/\/$/);

    await expect(
      second.getByRole("alert").filter({ hasText: "You are no longer in this room" }),
    ).toBeVisible();
    const back = second.getByRole("link", { name: "Back to the start" });
    await expect(back).toBeFocused();
    await expect(messageBox(second)).toBeDisabled();
    for (const name of ["Copy code", "Copy link", "Show QR code", "Leave room"])
      await expect(second.getByRole("button", { name })).toBeDisabled();
    await expect(memberList(second)).toHaveCount(0);
    await expect(messagesReading(second, "Still readable")).toBeVisible();
    await second.keyboard.press("Enter");
    await expect(second).toHaveURL(/\/$/);
  });

  test("Leave room asks first; Stay keeps you in", async ({ newPerson }) => {
    const { alice, bob } = await twoPeopleInARoom(newPerson);
    await alice.getByRole("button", { name: "Leave room" }).click();
    const dialog = alice.getByRole("dialog", { name: /Leave room/ });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Stay" })).toBeFocused();
    await alice.keyboard.press("Enter");
    await expect(dialog).toBeHidden();
    await expectConnected(alice);
    await expect(notice(bob, "Alice left")).toHaveCount(0);

    await leaveRoom(alice);
    await expect(alice).toHaveURL(/\/$/);
  });

  test("an unknown address gets a styled 404 with a way home and no script blocked", async ({
    newPerson,
    pageProblems,
  }) => {
    const page = await newPerson();
    const response = await page.goto("/no/such/page");
    expect(response?.status()).toBe(404);
    await expect(page).toHaveTitle("Page not found · Roomcode chat");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      "There is no page at this address.",
    );
    await page.getByRole("link", { name: "Create or join a room" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByLabel("Your name")).toBeVisible();
    expect(pageProblems).toEqual([]);
  });
});

test.describe("alerts", () => {
  test("on a plain-http LAN address the switch explains itself, and a sound, a flashing title and highlighting still alert", async ({
    newPerson,
    baseURL,
  }) => {
    const lan = baseURL!.replace("127.0.0.1", "lan.test");
    const alice = await newPerson();
    await alice.goto(`${lan}/`);
    const code = await createRoom(alice, "Alice");
    const bob = await newPerson();
    // Counts the tones the page plays.
    await bob.context().addInitScript(() => {
      const record = { tones: 0 };
      const create = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        record.tones++;
        return create.call(this);
      };
      Object.assign(window, { soundRecord: record });
    });
    await bob.goto(`${lan}/r/${code}`);
    await bob.getByLabel("Your name").fill("Bob");
    await bob.getByRole("button", { name: "Join room" }).click();
    await expectConnected(bob);
    expect(await bob.evaluate(() => window.isSecureContext)).toBe(false);
    const tones = () =>
      bob.evaluate(
        () => (window as unknown as { soundRecord: { tones: number } }).soundRecord.tones,
      );

    const notify = bob.getByRole("button", { name: "Notify me of mentions" });
    await expect(notify).toBeDisabled();
    await expect(bob.getByText(/Notifications need a secure \(https\) address/)).toBeVisible();
    const sound = bob.getByRole("button", { name: "Play a sound for mentions" });
    await sound.click();
    await expect(sound).toHaveAttribute("aria-pressed", "true");
    const afterPreview = await tones();
    expect(afterPreview).toBeGreaterThan(0);

    await setTabHidden(bob, true);
    await sendMessage(alice, "@Bob can you look at this?");
    await expect.poll(() => bob.title(), { timeout: 5000 }).toMatch(/^★ Alice mentioned you/);
    await expect.poll(tones).toBeGreaterThan(afterPreview);
    await setTabHidden(bob, false);
    await expect.poll(() => bob.title()).toBe(`Room ${code} · Roomcode chat`);
    await expect(messageItem(bob, "@Bob can you look at this?")).toHaveAttribute(
      "data-mention",
      "true",
    );

    // Remembered across a reload.
    await bob.reload();
    await expect(bob.getByRole("button", { name: "Play a sound for mentions" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
  });
});

test.describe("reading", () => {
  test("a run of joins reads as one line: “Alice, Bob and 3 others joined”", async ({
    newPerson,
  }) => {
    const alice = await newPerson();
    const code = await createRoom(alice, "Alice");
    for (const name of ["Bob", "Carol", "Dan", "Eve"])
      await joinRoom(await newPerson(), name, code);
    const lines = messageLog(alice).locator("li[data-notice-line]");
    await expect(lines).toHaveCount(1);
    await expect(lines).toContainText(/^\s*\S+, \S+ and [23] others joined/);
    // The names the line leaves out are in its tooltip.
    await expect(lines).toHaveAttribute("title", /Eve joined/);

    // A message ends the run: what comes after it is a line of its own.
    await sendMessage(alice, "Welcome, all");
    await joinRoom(await newPerson(), "Fay", code);
    await expect(lines).toHaveCount(2);
    await expect(lines.last()).toContainText(/^\s*Fay joined/);
  });

  test("coming back, a “New messages” line marks where you left off, with a jump to it", async ({
    newPerson,
  }) => {
    const { alice, bob, code } = await twoPeopleInARoom(newPerson);
    await sendMessage(bob, "Seen before leaving");
    await expect(messagesReading(alice, "Seen before leaving")).toBeVisible();
    await alice.goto("/");
    const missed = Array.from({ length: 25 }, (_, index) => `Missed ${index + 1}`);
    await sendInOneBurst(bob, missed);
    await expect(messagesReading(bob, "Missed 25")).toBeVisible();
    await expect(outbox(bob, "pending")).toHaveCount(0, { timeout: 20_000 });

    await alice.goto(`/r/${code}`);
    const divider = messageLog(alice)
      .getByRole("listitem")
      .filter({ hasText: /^New messages$/ });
    await expect(divider).toHaveCount(1);
    // Right before the first message she missed.
    await expect(divider.locator("xpath=following-sibling::li[1]")).toContainText("Missed 1");
    const jump = alice.getByRole("button", { name: "Jump to first unread" });
    await expect(jump).toBeVisible();
    await jump.click();
    await expect(divider).toBeInViewport();
    await expect(jump).toBeHidden();
  });

  test("a long session keeps the page small: far-away messages leave the page and come back on scrolling up", async ({
    newPerson,
  }) => {
    test.setTimeout(120_000);
    const { alice, bob } = await twoPeopleInARoom(newPerson);
    const senders = [bob, alice];
    // LONG_ROOM_PER_SENDER (with the message limits raised) measures longer sessions.
    const perSender = Number(process.env.LONG_ROOM_PER_SENDER ?? 180);
    await Promise.all(
      senders.map((page, who) =>
        sendInOneBurst(
          page,
          Array.from({ length: perSender }, (_, index) => `P${who} line ${index + 1}`),
        ),
      ),
    );
    await expect(messagesReading(alice, `P0 line ${perSender}`)).toBeVisible({ timeout: 90_000 });
    await expect(outbox(alice, "pending")).toHaveCount(0, { timeout: 90_000 });
    const rendered = await messageLog(alice).locator("li").count();
    const elements = await alice.evaluate(() => document.querySelectorAll("*").length);
    // Chromium's heap figure, after a collection where the browser allows one.
    const heap = await alice.evaluate(async () => {
      (window as unknown as { gc?: () => void }).gc?.();
      return (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory
        ?.usedJSHeapSize;
    });
    test.info().annotations.push({
      type: "long room",
      description: `${perSender * 2} messages: ${rendered} list items, ${elements} elements, heap ${((heap ?? 0) / 1e6).toFixed(1)} MB`,
    });
    expect(rendered).toBeLessThan(260);
    expect(elements).toBeLessThan(1500);

    // Scrolling up brings the earliest lines back, in order.
    const log = messageLog(alice);
    await expect(async () => {
      await log.evaluate((element) => (element.scrollTop = 0));
      await expect(messagesReading(alice, "P0 line 1")).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 30_000 });
  });
});

test.describe("smaller things", () => {
  test("a new room invites people right in the conversation: code, Copy link, QR code", async ({
    newPerson,
  }) => {
    const alice = await newPerson();
    const code = await createRoom(alice, "Alice");
    const invite = messageLog(alice).getByRole("region", { name: "Invite people" });
    await expect(invite).toContainText(code);
    await expect(invite.getByRole("button", { name: "Copy link" })).toBeVisible();
    await expect(invite.getByRole("button", { name: "Show QR code" })).toBeVisible();
    await sendMessage(alice, "Hello?");
    await expect(invite).toHaveCount(0);
  });

  test("on a phone the header is one short row, with Invite opening the code and both copies", async ({
    newPerson,
  }) => {
    const alice = await newPerson(PHONE);
    await createRoom(alice, "Alice");
    const header = (await alice.locator("header").boundingBox())!;
    expect(header.height).toBeLessThanOrEqual(72);
    await alice.getByRole("button", { name: "Invite" }).tap();
    const dialog = alice.getByRole("dialog");
    await expect(dialog.getByRole("img")).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Copy link" })).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Copy code" })).toBeVisible();
  });

  test("offline, a banner says what happens to what you write, and the status does not shift the buttons", async ({
    newPerson,
  }) => {
    const alice = await newPerson(DESKTOP);
    await createRoom(alice, "Alice");
    const copy = alice.getByRole("banner").getByRole("button", { name: "Copy code" });
    const before = (await copy.boundingBox())!.x;
    await alice.context().setOffline(true);
    await expect(alice.getByText(/You are offline\. What you write waits here/)).toBeVisible();
    expect((await copy.boundingBox())!.x).toBe(before);
    await alice.context().setOffline(false);
    await expectConnected(alice);
    await expect(alice.getByText(/You are offline/)).toHaveCount(0);
  });

  test("www. addresses and mailto: links are clickable; the alert switch does not promise a desktop", async ({
    newPerson,
  }) => {
    const { alice, bob } = await twoPeopleInARoom(newPerson);
    await sendMessage(alice, "See www.example.org or write to mailto:team@example.org");
    await expect(messageLog(bob).getByRole("link", { name: "www.example.org" })).toHaveAttribute(
      "href",
      "https://www.example.org/",
    );
    await expect(
      messageLog(bob).getByRole("link", { name: "mailto:team@example.org" }),
    ).toHaveAttribute("href", "mailto:team@example.org");
    await expect(bob.getByText(/desktop notification/i)).toHaveCount(0);
  });
});
