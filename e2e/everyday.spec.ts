// The room as newcomers use it: the home form by keyboard, long text on a phone, focus, limits.
import {
  createRoom,
  DESKTOP,
  expect,
  expectConnected,
  formError,
  messageBox,
  messageLog,
  messagesReading,
  notice,
  PHONE,
  test,
  withinViewportWidth,
} from "./helpers";

test.describe("the home form by keyboard", () => {
  test("Enter in the room code field joins that room, not a new one", async ({ newPerson }) => {
    const alice = await newPerson();
    const code = await createRoom(alice, "Alice");

    const bob = await newPerson();
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
    await dan.keyboard.type("Dan");
    await dan.keyboard.press("Enter");
    await expect(dan).toHaveURL(/\/r\/[A-Z2-9]{6}$/);
    expect(dan.url()).not.toContain(code);
  });

  test("an error shows at its field, marks it invalid and puts focus back there", async ({
    newPerson,
  }) => {
    const dana = await newPerson();
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
