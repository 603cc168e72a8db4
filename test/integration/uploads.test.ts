// Files in a room through the real server: uploads keyed by message, metadata stripped from
// photos, membership on every request, safe headers, limits, and files leaving with their room.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { request } from "node:http";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import {
  fileUploadUrl,
  fileUrl,
  type Attachment,
  type ChatMessage,
  type Result,
  type UploadResult,
} from "@/lib/chat-events";
import { newClientId } from "@/lib/client/client-id";
import { incomingDir } from "@/lib/server/files/incoming";
import { imageFacts, photoWithGps, uploadFile } from "../support/files";
import {
  connectSocket,
  connected,
  eventually,
  joinAs,
  newRoom,
  roomWithSockets,
  startTestServer,
  testConfig,
  withTestServer,
  type Person,
  type TestServer,
} from "../support/server";

function upload(
  t: TestServer,
  person: Person,
  file: { bytes: Buffer; name: string; type?: string },
  key = { clientId: newClientId(), index: 0 },
  headers: Record<string, string> = {},
) {
  return uploadFile(t.server.url, person, file, key, headers);
}

function uploaded(result: UploadResult): Attachment {
  if (!result.ok) throw new Error(`upload refused: ${result.error}`);
  return result.file;
}

async function download(
  t: TestServer,
  cookie: string | undefined,
  url: string,
  init: RequestInit = {},
) {
  const response = await fetch(t.server.url + url, {
    ...init,
    headers: { ...(cookie ? { cookie } : {}), ...(init.headers as Record<string, string>) },
  });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

const SVG = Buffer.from(
  `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`,
);
const HTML = Buffer.from(`<!doctype html><html><body><script>alert(1)</script></body></html>`);
const PDF = Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(50_000), Buffer.from("\n%%EOF")]);

describe("uploads", () => {
  const t = withTestServer({ FILE_MAX_MB: "0.5", ROOM_FILES_MAX_MB: "1", UPLOADS_PER_MINUTE: "8" });

  it("a photo loses its GPS position and EXIF, is turned upright, and gets a preview", async () => {
    const ada = await joinAs(t.server, await newRoom(t.server), "Ada", t.config);
    const original = await photoWithGps("png");
    expect((await imageFacts(original)).gps).toBeDefined();

    const { status, result } = await upload(t, ada, { bytes: original, name: "IMG_0001.png" });
    expect(status).toBe(201);
    const file = uploaded(result);
    // Stored upright: the 64×48 sensor image with orientation 6 is 48 wide and 64 high.
    expect(file).toMatchObject({
      name: "IMG_0001.png",
      type: "image/png",
      width: 48,
      height: 64,
      thumbnail: true,
    });

    const served = await download(t, ada.cookie, fileUrl(ada.roomCode, file.id));
    expect(served.response.status).toBe(200);
    const facts = await imageFacts(served.bytes);
    expect(facts).toMatchObject({ format: "png", width: 48, height: 64, hasExif: false });
    expect(facts.gps).toBeUndefined();
    expect(served.response.headers.get("content-disposition")).toMatch(/^inline; /);

    const preview = await download(t, ada.cookie, fileUrl(ada.roomCode, file.id, "thumbnail"));
    expect(preview.response.headers.get("content-type")).toBe("image/webp");
    expect((await imageFacts(preview.bytes)).gps).toBeUndefined();
  });

  it("the type comes from the bytes, not the name", async () => {
    const ada = await joinAs(t.server, await newRoom(t.server), "Ada", t.config);
    const file = uploaded(
      (await upload(t, ada, { bytes: PDF, name: "cat.png", type: "image/png" })).result,
    );
    expect(file).toMatchObject({ type: "application/pdf", size: PDF.length });
    expect(file.thumbnail).toBeUndefined();
  });

  it("a retried upload under the same message id and index is stored once", async () => {
    const ada = await joinAs(t.server, await newRoom(t.server), "Ada", t.config);
    const key = { clientId: newClientId(), index: 1 };
    const first = await upload(t, ada, { bytes: PDF, name: "a.pdf" }, key);
    const again = await upload(t, ada, { bytes: PDF, name: "a.pdf" }, key);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(uploaded(again.result)).toEqual(uploaded(first.result));
    expect(await t.server.files.roomBytes(ada.roomCode)).toBe(PDF.length);
  });

  it("a PDF downloads byte for byte, whole and by range, as an attachment", async () => {
    const ada = await joinAs(t.server, await newRoom(t.server), "Ada", t.config);
    const file = uploaded((await upload(t, ada, { bytes: PDF, name: "Rapport été.pdf" })).result);
    const url = fileUrl(ada.roomCode, file.id);
    const whole = await download(t, ada.cookie, url);
    expect(whole.bytes.equals(PDF)).toBe(true);
    expect(whole.response.headers.get("content-disposition")).toBe(
      `attachment; filename="Rapport _t_.pdf"; filename*=UTF-8''Rapport%20%C3%A9t%C3%A9.pdf`,
    );
    expect(whole.response.headers.get("accept-ranges")).toBe("bytes");
    const part = await download(t, ada.cookie, url, { headers: { range: "bytes=100-199" } });
    expect(part.response.status).toBe(206);
    expect(part.response.headers.get("content-range")).toBe(`bytes 100-199/${PDF.length}`);
    expect(part.bytes.equals(PDF.subarray(100, 200))).toBe(true);
    const beyond = await download(t, ada.cookie, url, {
      headers: { range: `bytes=${PDF.length}-` },
    });
    expect(beyond.response.status).toBe(416);
  });

  it("SVG and HTML are served as sandboxed downloads, never as pages", async () => {
    const ada = await joinAs(t.server, await newRoom(t.server), "Ada", t.config);
    for (const [bytes, name] of [
      [SVG, "logo.svg"],
      [HTML, "page.html"],
    ] as const) {
      const file = uploaded((await upload(t, ada, { bytes, name, type: "image/svg+xml" })).result);
      expect(file.thumbnail).toBeUndefined();
      const { response } = await download(t, ada.cookie, fileUrl(ada.roomCode, file.id));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-disposition")).toMatch(/^attachment; /);
      expect(response.headers.get("content-type")).toBe("application/octet-stream");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
      expect(response.headers.get("cache-control")).toMatch(/^private/);
    }
  });

  it("only members of the room get its files", async () => {
    const ada = await joinAs(t.server, await newRoom(t.server), "Ada", t.config);
    const stranger = await joinAs(t.server, await newRoom(t.server), "Eve", t.config);
    const file = uploaded((await upload(t, ada, { bytes: PDF, name: "a.pdf" })).result);
    for (const variant of [undefined, "thumbnail"] as const) {
      const url = fileUrl(ada.roomCode, file.id, variant);
      for (const cookie of [stranger.cookie, undefined]) {
        const { response, bytes } = await download(t, cookie, url);
        expect(response.status).toBe(403);
        expect(bytes.includes(PDF.subarray(0, 100))).toBe(false);
      }
    }
    // Nor can they upload into it, or send from another site's page.
    const intruder = { ...stranger, roomCode: ada.roomCode };
    expect((await upload(t, intruder, { bytes: PDF, name: "x.pdf" })).status).toBe(403);
    const foreign = await upload(t, ada, { bytes: PDF, name: "x.pdf" }, undefined, {
      origin: "https://evil.example",
    });
    expect(foreign.status).toBe(403);
    // After leaving, a kept copy of the cookie opens nothing.
    await t.server.chat.membership.leave(ada.roomCode, ada.userId);
    expect((await download(t, ada.cookie, fileUrl(ada.roomCode, file.id))).response.status).toBe(
      403,
    );
  });

  it("ids that are not ours never reach the store", async () => {
    const ada = await joinAs(t.server, await newRoom(t.server), "Ada", t.config);
    for (const url of [
      `/files/${ada.roomCode}/..%2F..%2Froomcode.db`,
      `/files/${ada.roomCode}/../../roomcode.db`,
      `/files/..%2F/${"A".repeat(22)}`,
      `/files/${ada.roomCode}/${"A".repeat(21)}.`,
    ]) {
      const { response } = await download(t, ada.cookie, url);
      expect([400, 404]).toContain(response.status);
    }
  });

  it("an upload cancelled while the server processes it is not stored and not counted", async () => {
    const ada = await joinAs(t.server, await newRoom(t.server), "Ada", t.config);
    // Small to send, slow to process (16 megapixels to re-encode): time to cancel mid-way.
    const slow = await sharp({
      create: { width: 4000, height: 4000, channels: 3, background: "#fff" },
    })
      .png()
      .toBuffer();
    const incoming = incomingDir(t.config.filesDir);
    const received = () => readdir(incoming).catch(() => [] as string[]);
    const boundary = "cancel-boundary";
    const key = { clientId: newClientId(), index: 0 };
    const sending = request(t.server.url + fileUploadUrl(ada.roomCode, key.clientId, key.index), {
      method: "POST",
      headers: { cookie: ada.cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
    });
    sending.on("error", () => undefined);
    sending.end(
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n\r\n`,
        ),
        slow,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    );
    // The cleaned copy appears once the whole file was received and the image is being processed.
    const processing = async () => (await received()).some((name) => name.endsWith(".clean"));
    await eventually(processing, "the image is being processed", 10_000, 1);
    sending.destroy();

    // Done with it: its temporary files are gone.
    await eventually(async () => (await received()).length === 0, "the upload handled");
    expect(await t.server.files.findUpload(ada.roomCode, key.clientId, key.index)).toBeNull();
    expect(await t.server.files.roomBytes(ada.roomCode)).toBe(0);
    // Uncancelled, the same file is stored (and counted).
    const { status } = await upload(t, ada, { bytes: slow, name: "big.png" });
    expect(status).toBe(201);
    expect(await t.server.files.roomBytes(ada.roomCode)).toBeGreaterThan(0);
  });

  it("refuses a file over the size limit, a full room and a flood, saying why", async () => {
    const ada = await joinAs(t.server, await newRoom(t.server), "Ada", t.config);
    const big = await upload(t, ada, { bytes: randomBytes(600_000), name: "big.bin" });
    expect(big).toMatchObject({ status: 413, result: { ok: false, code: "file-too-large" } });
    expect(big.result.ok || big.result.error).toMatch(/at most 512 KB/);

    // Four files of 300 KB pass the per-file limit; the fourth would take the room past 1 MB.
    const sizes = [];
    for (let n = 0; n < 4; n++)
      sizes.push((await upload(t, ada, { bytes: randomBytes(300_000), name: `${n}.bin` })).result);
    expect(sizes.map((result) => (result.ok ? "ok" : result.code))).toEqual([
      "ok",
      "ok",
      "ok",
      "room-files-full",
    ]);

    const other = await joinAs(t.server, await newRoom(t.server), "Bob", t.config);
    const codes = [];
    for (let n = 0; n < 10; n++) {
      const { result } = await upload(t, other, { bytes: Buffer.from(`tiny ${n}`), name: "t.txt" });
      codes.push(result.ok ? "ok" : result.code);
    }
    expect(codes.filter((code) => code === "ok")).toHaveLength(8);
    expect(codes.at(-1)).toBe("rate-limited");
  });
});

describe("messages with files", () => {
  const t = withTestServer();

  function send(socket: ReturnType<typeof connectSocket>, payload: object) {
    return socket.emitWithAck("message:send", payload as never) as Promise<
      Result<{ message: ChatMessage }>
    >;
  }

  it("carry their files to everyone, in history, and only the sender's own uploads", async () => {
    const { roomCode, people, sockets } = await roomWithSockets(t, "Ada", "Bob");
    const [ada, bob] = people as [Person, Person];
    const [adaSocket, bobSocket] = sockets as [
      ReturnType<typeof connectSocket>,
      ReturnType<typeof connectSocket>,
    ];
    const clientId = newClientId();
    const photo = uploaded(
      (await upload(t, ada, { bytes: await photoWithGps(), name: "p.png" }, { clientId, index: 0 }))
        .result,
    );
    const pdf = uploaded(
      (await upload(t, ada, { bytes: PDF, name: "d.pdf" }, { clientId, index: 1 })).result,
    );

    const received: ChatMessage[] = [];
    bobSocket.on("message", (message) => received.push(message));
    const sent = await send(adaSocket, { clientId, body: "", attachments: [photo.id, pdf.id] });
    expect(sent.ok && sent.message.attachments).toEqual([photo, pdf]);
    await eventually(() => received.some((m) => m.clientId === clientId), "Bob receives the files");
    expect(received.find((m) => m.clientId === clientId)?.attachments).toEqual([photo, pdf]);
    expect((await t.server.store.latestMessages(roomCode, 5)).at(-1)?.attachments).toEqual([
      photo,
      pdf,
    ]);

    // Bob cannot send Ada's file as his own, nor an id that was never uploaded.
    const stolen = await send(bobSocket, {
      clientId: newClientId(),
      body: "mine",
      attachments: [photo.id],
    });
    expect(stolen).toMatchObject({ ok: false, code: "invalid" });
    const made = await send(bobSocket, {
      clientId: newClientId(),
      body: "x",
      attachments: ["Z".repeat(22)],
    });
    expect(made).toMatchObject({ ok: false, code: "invalid" });
    expect(bob.roomCode).toBe(roomCode);
  });

  it("a room's files are deleted with the room when it expires", async () => {
    // Restarted with rooms that expire within a second of going quiet.
    await t.server.close();
    const config = testConfig(path.dirname(t.config.databasePath), {
      ROOM_IDLE_HOURS: "0.0002",
      PRESENCE_SWEEP_MS: "100",
    });
    t.server = await startTestServer(config);
    const ada = await joinAs(t.server, await newRoom(t.server), "Ada", config);
    const socket = connectSocket(t.server.url, { cookie: ada.cookie });
    await connected(socket);
    const file = uploaded(
      (await upload({ ...t, config }, ada, { bytes: PDF, name: "a.pdf" })).result,
    );
    const folder = path.join(config.filesDir, ada.roomCode);
    expect(existsSync(folder)).toBe(true);
    socket.disconnect();
    await eventually(() => !existsSync(folder), "the room's files are removed", 15_000);
    expect(await t.server.files.getFile(ada.roomCode, file.id)).toBeNull();
    expect(await t.server.store.getRoom(ada.roomCode)).toBeNull();
  });
});
