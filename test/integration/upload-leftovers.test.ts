// What a server killed mid-upload leaves on disk, and the next start removing it. The server runs
// in its own process (the cluster tests' node, on SQLite), so it can die by SIGKILL: no `finally`.
import { copyFile, readdir, utimes } from "node:fs/promises";
import { request } from "node:http";
import path from "node:path";
import { expect, it } from "vitest";
import { fileUploadUrl } from "@/lib/chat-events";
import { newClientId } from "@/lib/client/client-id";
import { incomingDir, STALE_UPLOAD_MS } from "@/lib/server/files/incoming";
import { generateRoomCode } from "@/lib/room-code";
import { openSqliteStore } from "@/lib/server/store/sqlite";
import { startNode } from "../support/cluster";
import { TEST_SECRET, eventually, sessionCookie, tempDataDir } from "../support/server";

/** Starts an upload whose body never finishes: its bytes so far sit in the incoming folder. */
function startEndlessUpload(url: string, roomCode: string, cookie: string): void {
  const boundary = "leftover-boundary";
  const upload = request(`${url}${fileUploadUrl(roomCode, newClientId(), 0)}`, {
    method: "POST",
    headers: { cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
  });
  upload.on("error", () => undefined); // The server dies under it.
  upload.write(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n`,
  );
  upload.write(Buffer.alloc(256 * 1024, 7));
}

it("a file half-received when the server was killed is removed at a later start once stale", async () => {
  const data = tempDataDir();
  const roomCode = generateRoomCode();
  const store = openSqliteStore(path.join(data.dir, "roomcode.db"));
  await store.createRoom(roomCode, Date.now());
  await store.addMember(roomCode, { userId: "uploader", name: "Ada" }, Date.now());
  await store.close();
  const session = { sessionSecrets: [TEST_SECRET], sessionMaxAgeSeconds: 3600 };
  const cookie = await sessionCookie(session, {
    userId: "uploader",
    name: "Ada",
    rooms: [roomCode],
  });
  const incoming = incomingDir(path.join(data.dir, "files"));
  const leftovers = () => readdir(incoming).catch(() => [] as string[]);

  let node = await startNode({ DATA_DIR: data.dir });
  try {
    startEndlessUpload(node.url, roomCode, cookie);
    await eventually(async () => (await leftovers()).length === 1, "the upload is being received");
    await node.kill();
    const [abandoned] = await leftovers();
    expect(abandoned).toBeDefined();

    // Time passes (the file ages); another file is as young as an upload under way.
    const longAgo = new Date(Date.now() - STALE_UPLOAD_MS - 60_000);
    await utimes(path.join(incoming, abandoned!), longAgo, longAgo);
    await copyFile(path.join(incoming, abandoned!), path.join(incoming, "young"));

    node = await startNode({ DATA_DIR: data.dir });
    expect(await leftovers()).toEqual(["young"]);
  } finally {
    await node.stop();
    data.remove();
  }
});
