// The room's owner at work, with three people in their own browsers: name, lock, remove, hand
// over, delete; every control reached and pressed from the keyboard, found by its accessible name.
import Database from "better-sqlite3";
import type { Page } from "@playwright/test";
import {
  createRoom,
  DESKTOP,
  E2E_DATABASE_PATH,
  expect,
  expectConnected,
  formError,
  joinRoom,
  memberList,
  messageLog,
  messagesReading,
  notice,
  PHONE,
  sendMessage,
  test,
} from "./helpers";

function ownerControls(page: Page) {
  return page.getByRole("region", { name: "Owner controls" });
}

/** Presses a control from the keyboard, as someone without a mouse would. */
async function press(page: Page, name: string) {
  const control = page.getByRole("button", { name, exact: true });
  await control.focus();
  await expect(control).toBeFocused();
  await control.press("Enter");
}

/** Confirms the question a per-member action asks first; Cancel has the focus. */
async function confirm(page: Page, question: string, confirmLabel: string) {
  const dialog = page.getByRole("dialog", { name: question });
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await dialog.getByRole("button", { name: confirmLabel, exact: true }).press("Enter");
  await expect(dialog).toHaveCount(0);
}

test("a question asked again right after Cancel stays open until it is answered", async ({
  newPerson,
}) => {
  const olga = await newPerson(DESKTOP);
  const code = await createRoom(olga, "Olga");
  const max = await newPerson();
  await joinRoom(max, "Max", code);
  await press(olga, "Remove Max");
  await expect(olga.getByRole("dialog", { name: "Remove Max?" })).toBeVisible();
  // Cancel and ask again within one task, before the first dialog's late "close" event arrives
  // (a loaded machine did this to a keyboard user: the second question vanished unanswered).
  const stillOpen = await olga.evaluate(async () => {
    const visible = (label: string) =>
      [...document.querySelectorAll("button")].find(
        (button) => button.textContent?.trim() === label && button.checkVisibility(),
      )!;
    visible("Cancel").click();
    // React commits the Cancel in a microtask; the browser queues the dialog's "close" as a task.
    for (let turn = 0; turn < 5; turn++) await Promise.resolve();
    if (document.querySelector("dialog[open]")) return "Cancel did not close the question";
    visible("Remove Max").click();
    for (let frame = 0; frame < 3; frame++) await new Promise(requestAnimationFrame);
    return document.querySelector("dialog[open]")?.getAttribute("aria-label") ?? null;
  });
  expect(stillOpen).toBe("Remove Max?");
  await confirm(olga, "Remove Max?", "Remove");
  await expect(max).toHaveURL(/\/$/);
});

test("the owner names, locks, removes, hands over and deletes; the others follow live", async ({
  newPerson,
}, testInfo) => {
  const olga = await newPerson(DESKTOP);
  const code = await createRoom(olga, "Olga");
  const max = await newPerson();
  await joinRoom(max, "Max", code);
  const nina = await newPerson();
  await joinRoom(nina, "Nina", code);
  await expect(notice(olga, "Nina joined")).toHaveCount(1);

  // Only the owner has the controls; everyone sees who owns the room.
  await expect(ownerControls(olga)).toBeVisible();
  await expect(ownerControls(max)).toHaveCount(0);
  await expect(memberList(max).getByRole("listitem").filter({ hasText: "Olga" })).toContainText(
    "(owner)",
  );

  // Name: typed and saved with Enter; the others' header and tab title change without a reload.
  const roomName = olga.getByRole("textbox", { name: "Room name" });
  await roomName.fill("Book club");
  await roomName.press("Enter");
  for (const page of [olga, max, nina]) {
    await expect(page.getByRole("heading", { level: 1, name: "Book club" })).toBeVisible();
    await expect(page).toHaveTitle(/^(\(\d+\) )?Book club · Roomcode chat$/);
    await expect(notice(page, "Olga named the room")).toHaveCount(1);
    await expect(messageLog(page)).toContainText("Olga named the room “Book club”");
  }

  // The panel's controls follow each other in the tab order.
  await roomName.focus();
  await olga.keyboard.press("Tab");
  await expect(olga.getByRole("button", { name: "Save name" })).toBeFocused();
  await olga.keyboard.press("Tab");
  await expect(olga.getByLabel("Passphrase", { exact: true })).toBeFocused();
  await olga.keyboard.press("Tab");
  await expect(olga.getByRole("button", { name: "Set passphrase" })).toBeFocused();
  await olga.keyboard.press("Tab");
  await expect(olga.getByRole("button", { name: "Lock room" })).toBeFocused();

  // Lock: a fourth person is refused with the reason; the members stay and keep talking.
  await olga.keyboard.press("Enter");
  await expect(olga.getByRole("button", { name: "Unlock room" })).toBeVisible();
  await expect(notice(max, "Olga locked the room")).toHaveCount(1);
  await expect(max.getByText("Locked", { exact: true })).toBeVisible();
  const petra = await newPerson();
  await petra.getByLabel("Your name").fill("Petra");
  await petra.getByLabel("Room code").fill(code);
  await petra.getByRole("button", { name: "Join room" }).click();
  await expect(formError(petra)).toContainText("This room is locked");
  await expect(petra).toHaveURL(/\/$/);
  await expectConnected(max);
  await sendMessage(max, "still here");
  await expect(messagesReading(nina, "still here")).toHaveCount(1);

  await olga.screenshot({ path: testInfo.outputPath("owner-panel-1440x900.png") });
  const olgaPhone = await newPerson({
    ...PHONE,
    storageState: await olga.context().storageState(),
  });
  await olgaPhone.goto(`/r/${code}`);
  await expectConnected(olgaPhone);
  await olgaPhone.getByRole("button", { name: /Members/ }).click();
  await expect(ownerControls(olgaPhone)).toBeVisible();
  await olgaPhone.screenshot({ path: testInfo.outputPath("owner-panel-360x740.png") });
  await olgaPhone.context().close();

  // A refused action says why, from the member list's buttons too.
  await olga.context().setOffline(true);
  await expect(olga.getByRole("status")).not.toHaveText("Connected");
  await press(olga, "Remove Nina");
  await confirm(olga, "Remove Nina?", "Remove");
  await expect(ownerControls(olga).getByRole("alert")).toHaveText(
    "Not connected. Try again in a moment.",
  );
  await olga.context().setOffline(false);
  await expectConnected(olga);

  // Remove, asked first: Cancel keeps Max; confirmed, both his tabs end at once, and a new name
  // does not bring him back.
  const maxTab2 = await max.context().newPage();
  await maxTab2.goto(`/r/${code}`);
  await expectConnected(maxTab2);
  await press(olga, "Remove Max");
  await olga
    .getByRole("dialog", { name: "Remove Max?" })
    .getByRole("button", { name: "Cancel" })
    .press("Enter");
  await expect(olga.getByRole("dialog")).toHaveCount(0);
  await expectConnected(max);
  await press(olga, "Remove Max");
  await confirm(olga, "Remove Max?", "Remove");
  await expect(notice(nina, "Olga removed Max")).toHaveCount(1);
  await expect(messageLog(nina)).toContainText("Olga removed Max");
  await expect(max).toHaveURL(/\/$/);
  await expect(maxTab2).toHaveURL(/\/$/);
  await expect(memberList(olga).getByRole("listitem").filter({ hasText: "Max" })).toHaveCount(0);
  await max.getByLabel("Your name").fill("Maximilian");
  await max.getByLabel("Room code").fill(code);
  await max.getByRole("button", { name: "Join room" }).click();
  await expect(formError(max)).toContainText("removed you");
  await expect(max).not.toHaveURL(/\/r\//);
  await expectConnected(nina);

  // Hand over, asked first: the controls move to Nina, Olga stays as a member. The button's
  // accessible name starts with the words it shows.
  await press(olga, "Make owner Nina");
  await confirm(olga, "Make Nina the owner?", "Make owner");
  await expect(notice(olga, "Olga made Nina the owner")).toHaveCount(1);
  await expect(ownerControls(nina)).toBeVisible();
  await expect(ownerControls(olga)).toHaveCount(0);
  await expect(olga.getByRole("button", { name: "Remove Nina" })).toHaveCount(0);
  await expectConnected(olga);

  // The owner leaves: the room passes to the member there longest, who gets the controls.
  await press(nina, "Leave room");
  await nina.getByRole("dialog").getByRole("button", { name: "Leave", exact: true }).click();
  await expect(nina).toHaveURL(/\/$/);
  await expect(notice(olga, "Olga is now the owner")).toHaveCount(1);
  await expect(ownerControls(olga)).toBeVisible();

  // Delete, confirmed: every tab is home and the store holds nothing of the room.
  const olgaTab2 = await olga.context().newPage();
  await olgaTab2.goto(`/r/${code}`);
  await expectConnected(olgaTab2);
  await press(olga, "Delete room");
  await press(olga, "Delete for everyone");
  await expect(olga).toHaveURL(/\/$/);
  await expect(olgaTab2).toHaveURL(/\/$/);
  const db = new Database(E2E_DATABASE_PATH, { readonly: true });
  try {
    expect(db.prepare("SELECT count(*) AS n FROM rooms WHERE code = ?").get(code)).toEqual({
      n: 0,
    });
    expect(db.prepare("SELECT count(*) AS n FROM messages WHERE room_code = ?").get(code)).toEqual({
      n: 0,
    });
  } finally {
    db.close();
  }
});

test("with a passphrase set, a newcomer is asked for it and gets in only with the right one", async ({
  newPerson,
}) => {
  const olga = await newPerson(DESKTOP);
  const code = await createRoom(olga, "Olga");
  const passphrase = olga.getByLabel("Passphrase", { exact: true });
  await passphrase.fill("tea at five");
  await passphrase.press("Enter");
  await expect(notice(olga, "Olga set a passphrase")).toHaveCount(1);
  await expect(passphrase).toHaveValue("");
  await expect(olga.getByRole("button", { name: "Change passphrase" })).toBeVisible();

  // The field shows only once the server has seen a valid code: it tells nobody else.
  const max = await newPerson();
  await max.getByLabel("Your name").fill("Max");
  await max.getByLabel("Room code").fill(code);
  await expect(max.getByLabel("Room passphrase")).toHaveCount(0);
  await max.getByRole("button", { name: "Join room" }).click();
  const asked = max.getByLabel("Room passphrase");
  await expect(asked).toBeFocused();
  await expect(asked).toHaveAccessibleDescription(/needs a passphrase/);
  await asked.fill("tea at six");
  await asked.press("Enter");
  await expect(max.getByLabel("Room passphrase")).toHaveAccessibleDescription("Wrong passphrase.");
  await expect(max).not.toHaveURL(/\/r\//);
  await max.getByLabel("Room passphrase").fill("tea at five");
  await max.getByLabel("Room passphrase").press("Enter");
  await expect(max).toHaveURL(new RegExp(`/r/${code}$`));
  await expectConnected(max);
  await expect(notice(olga, "Max joined")).toHaveCount(1);

  // Cleared: members stay, and the notice says so without the passphrase.
  await press(olga, "Remove passphrase");
  await expect(notice(max, "Olga removed the passphrase")).toHaveCount(1);
  await expect(messageLog(max)).not.toContainText("tea at");
  await expectConnected(max);
});
