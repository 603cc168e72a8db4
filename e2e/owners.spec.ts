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
  await expect(ownerControls(olga).getByRole("alert")).toHaveText(
    "Not connected. Try again in a moment.",
  );
  await olga.context().setOffline(false);
  await expectConnected(olga);

  // Remove: both of Max's tabs end at once, and a new name does not bring him back.
  const maxTab2 = await max.context().newPage();
  await maxTab2.goto(`/r/${code}`);
  await expectConnected(maxTab2);
  await press(olga, "Remove Max");
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

  // Hand over: the controls move to Nina, Olga stays as a member.
  await press(olga, "Make Nina the owner");
  await expect(notice(olga, "Olga made Nina the owner")).toHaveCount(1);
  await expect(ownerControls(nina)).toBeVisible();
  await expect(ownerControls(olga)).toHaveCount(0);
  await expect(olga.getByRole("button", { name: "Remove Nina" })).toHaveCount(0);
  await expectConnected(olga);

  // Delete, confirmed: everyone is home and the store holds nothing of the room.
  await press(nina, "Delete room");
  await press(nina, "Delete for everyone");
  await expect(nina).toHaveURL(/\/$/);
  await expect(olga).toHaveURL(/\/$/);
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
