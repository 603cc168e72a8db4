// Photos and files between two people: previews without the photo's GPS position, a PDF that
// downloads byte for byte, files closed to non-members, and the size limit said up front.
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { imageFacts, photoWithGps } from "../test/support/files";
import { createRoom, expect, messageBox, messageLog, test, twoPeopleInARoom } from "./helpers";

const PDF = Buffer.concat([
  Buffer.from("%PDF-1.4\n"),
  Buffer.alloc(40_000, "roomcode "),
  Buffer.from("\n%%EOF\n"),
]);

/** Drops files on the conversation the way a file manager does. */
async function dropFiles(page: Page, files: { name: string; type: string; bytes: Buffer }[]) {
  const payload = files.map((file) => ({ ...file, bytes: file.bytes.toString("base64") }));
  const transfer = await page.evaluateHandle((items) => {
    const data = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.bytes), (char) => char.charCodeAt(0));
      data.items.add(new File([bytes], item.name, { type: item.type }));
    }
    return data;
  }, payload);
  const target = messageLog(page);
  await target.dispatchEvent("dragover", { dataTransfer: transfer });
  await target.dispatchEvent("drop", { dataTransfer: transfer });
}

/** Pastes an image into the message box, as a screenshot tool leaves it on the clipboard. */
async function pasteImage(page: Page, bytes: Buffer) {
  await messageBox(page).evaluate((box, base64) => {
    const data = new DataTransfer();
    const image = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    data.items.add(new File([image], "image.png", { type: "image/png" }));
    box.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true }));
  }, bytes.toString("base64"));
}

async function sendWhenUploaded(page: Page) {
  const send = page.getByRole("button", { name: "Send", exact: true });
  await expect(send).toBeEnabled();
  await send.click();
  await expect(page.getByRole("list", { name: "Attached files" })).toHaveCount(0);
}

test("a dropped photo appears as a preview for the other person, without its GPS position", async ({
  newPerson,
  pageProblems,
}) => {
  const { alice, bob } = await twoPeopleInARoom(newPerson);
  await bob.setViewportSize({ width: 360, height: 740 });
  const photo = await photoWithGps("jpeg");
  expect((await imageFacts(photo)).gps).toBeDefined();

  await dropFiles(alice, [{ name: "IMG_0001.jpg", type: "image/jpeg", bytes: photo }]);
  await expect(alice.getByRole("progressbar", { name: "Upload of IMG_0001.jpg" })).toBeVisible();
  await messageBox(alice).fill("From the trip");
  await sendWhenUploaded(alice);

  const preview = messageLog(bob).getByRole("img", { name: "IMG_0001.jpg" });
  await expect(preview).toBeVisible();
  // Sized before loading from the stored, upright dimensions (the sensor image was 64×48, turned).
  await expect(preview).toHaveAttribute("width", "48");
  await expect(preview).toHaveAttribute("height", "64");
  await expect
    .poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBeGreaterThan(0);
  expect((await preview.boundingBox())!.width).toBeLessThanOrEqual(360);

  // The viewer shows it full size; Escape closes it.
  await messageLog(bob).getByRole("button", { name: "Open image IMG_0001.jpg" }).click();
  const viewer = bob.getByRole("dialog", { name: "Image IMG_0001.jpg" });
  await expect(viewer.getByRole("img", { name: "IMG_0001.jpg" })).toBeVisible();
  await bob.keyboard.press("Escape");
  await expect(viewer).toBeHidden();

  // What Bob's browser downloads carries no EXIF and no position.
  const src = await preview.evaluate((img: HTMLImageElement) =>
    img.src.replace(/\/thumbnail$/, ""),
  );
  const served = await bob.request.get(src);
  expect(served.headers()["content-type"]).toBe("image/jpeg");
  const facts = await imageFacts(await served.body());
  expect(facts).toMatchObject({ width: 48, height: 64, hasExif: false });
  expect(facts.gps).toBeUndefined();
  expect(pageProblems).toEqual([]);
});

test("a pasted screenshot is sent as an image, and arrows move through the room's images", async ({
  newPerson,
}) => {
  const { alice, bob } = await twoPeopleInARoom(newPerson);
  await pasteImage(alice, await photoWithGps("png"));
  await sendWhenUploaded(alice);
  await dropFiles(alice, [
    { name: "second.png", type: "image/png", bytes: await photoWithGps("png") },
  ]);
  await sendWhenUploaded(alice);

  // A message of files alone starts right below its author line: no empty bubble line above it.
  const firstImage = bob.getByRole("button", { name: "Open image image.png" });
  const gap = await messageLog(bob)
    .locator("li[data-seq]")
    .filter({ has: firstImage })
    .evaluate((row) => {
      const author = row.querySelector("p")!.getBoundingClientRect();
      const files = row.querySelector('[aria-label="Files"]')!.getBoundingClientRect();
      return files.top - author.bottom;
    });
  expect(gap).toBeLessThan(8);

  await messageLog(bob).getByRole("button", { name: "Open image image.png" }).click();
  const viewer = bob.getByRole("dialog");
  await expect(viewer).toContainText("image.png · 1 of 2");
  await bob.keyboard.press("ArrowRight");
  await expect(viewer).toContainText("second.png · 2 of 2");
  await expect(viewer.getByRole("img", { name: "second.png" })).toBeVisible();
});

test("a PDF is a file card for the other person and downloads byte for byte", async ({
  newPerson,
}) => {
  const { alice, bob } = await twoPeopleInARoom(newPerson);
  await alice
    .getByLabel("Attach files")
    .setInputFiles({ name: "Agenda.pdf", mimeType: "application/pdf", buffer: PDF });
  await sendWhenUploaded(alice);

  const card = messageLog(bob).locator("[data-file-card]").filter({ hasText: "Agenda.pdf" });
  await expect(card).toContainText("39 KB · PDF");
  const [download] = await Promise.all([
    bob.waitForEvent("download"),
    card.getByRole("link", { name: "Download Agenda.pdf (39 KB)" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("Agenda.pdf");
  expect((await readFile(await download.path())).equals(PDF)).toBe(true);
});

test("a file's address opens nothing for someone outside the room", async ({
  newPerson,
  browser,
}) => {
  const { alice } = await twoPeopleInARoom(newPerson);
  await alice
    .getByLabel("Attach files")
    .setInputFiles({ name: "Secret.pdf", mimeType: "application/pdf", buffer: PDF });
  await sendWhenUploaded(alice);
  const href = await messageLog(alice)
    .getByRole("link", { name: /^Download Secret.pdf/ })
    .getAttribute("href");
  expect((await alice.request.get(href!)).status()).toBe(200);

  const carol = await newPerson();
  await createRoom(carol, "Carol");
  const withOtherRoom = await carol.request.get(href!);
  expect(withOtherRoom.status()).toBe(403);
  expect((await withOtherRoom.body()).includes(PDF.subarray(0, 200))).toBe(false);

  const stranger = await browser.newContext();
  try {
    const withoutCookie = await stranger.request.get(new URL(href!, alice.url()).toString());
    expect(withoutCookie.status()).toBe(403);
  } finally {
    await stranger.close();
  }
});

test("a file over the size limit is refused with the reason, before and by the server", async ({
  newPerson,
}) => {
  const alice = await newPerson();
  const code = await createRoom(alice, "Alice");
  const big = Buffer.alloc(3 * 1024 * 1024, 1);
  await alice
    .getByLabel("Attach files")
    .setInputFiles({ name: "video.mov", mimeType: "video/quicktime", buffer: big });
  await expect(alice.locator("form").getByRole("alert")).toHaveText(
    "video.mov: files can be at most 2 MB.",
  );
  await expect(alice.getByRole("list", { name: "Attached files" })).toHaveCount(0);

  // A client that skips the check gets the same reason from the server.
  const refusal = await alice.evaluate(async (roomCode) => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(3 * 1024 * 1024)]), "video.mov");
    const response = await fetch(`/files/${roomCode}?clientId=abcdefgh12345678&index=0`, {
      method: "POST",
      body: form,
    });
    return { status: response.status, body: await response.json() };
  }, code);
  expect(refusal).toEqual({
    status: 413,
    body: { ok: false, code: "file-too-large", error: "Files can be at most 2 MB." },
  });
});
