// Uploads and downloads of a room's files, answered before Next: uploads stream through busboy
// into the FileStore, and every request passes the socket handshake's checks (Origin, session
// cookie, membership of the room in the URL).
import { createReadStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { fileTypeFromFile } from "file-type";
import {
  MAX_ATTACHMENTS,
  type Attachment,
  type ErrorCode,
  type UploadResult,
} from "@/lib/chat-events";
import { isRoomCode } from "@/lib/room-code";
import { formatBytes } from "@/lib/file-size";
import { isAllowedOrigin, requestHost } from "../client-address";
import type { Config } from "../config";
import type { Logger } from "../logger";
import type { RateLimiter } from "../rate-limit";
import { readRoomSession } from "../session";
import { newFileId, type FileStore, type StoredFile } from "../store/file-store";
import type { ChatStore } from "../store/types";
import { clientIdSchema, fileIdSchema } from "../chat/payloads";
import { INLINE_IMAGE_TYPES, prepareImage, THUMBNAIL_TYPE } from "./images";
import { incomingDir } from "./incoming";
import { receiveUpload } from "./receive-upload";
import { fileHeaders, parseRange, sendJson } from "./serve-file";

export interface FileRouteDeps {
  config: Config;
  store: ChatStore;
  files: FileStore;
  /** One token per upload, keyed by person. */
  uploadLimit: RateLimiter;
  log: Logger;
}

const ROUTE = /^\/files\/([^/?]+)(?:\/([^/?]+)(?:\/(thumbnail))?)?$/;
/** What multipart framing adds around a file's bytes, at most, in an honest request. */
const MULTIPART_OVERHEAD = 16 * 1024;

const STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  "not-member": 403,
  "room-gone": 404,
  "rate-limited": 429,
  "file-too-large": 413,
  "room-files-full": 413,
  "no-such-file": 404,
  "no-such-message": 404,
  "not-author": 403,
  "message-deleted": 410,
  "too-many-reactions": 409,
  unavailable: 503,
  busy: 429,
  "cannot-store": 507,
  "not-owner": 403,
  "no-such-member": 404,
};

function refuse(response: ServerResponse, code: ErrorCode, error: string): true {
  const body: UploadResult = { ok: false, code, error };
  sendJson(response, STATUS[code], body);
  return true;
}

/** What a message shows of a stored file. */
export function toAttachment(file: StoredFile): Attachment {
  const { id, name, type, size, width, height, thumbnail } = file;
  return {
    id,
    name,
    type,
    size,
    ...(width !== undefined && height !== undefined ? { width, height } : {}),
    ...(thumbnail ? { thumbnail } : {}),
  };
}

/** The person behind the request's session cookie, when they are a member of `roomCode`. */
async function memberOf(
  request: IncomingMessage,
  roomCode: string,
  deps: FileRouteDeps,
): Promise<string | null> {
  // The URL names the room; the cookie must hold a membership of exactly that one.
  const session = await readRoomSession(request.headers.cookie, deps.config, roomCode);
  if (!session) return null;
  return (await deps.store.getMember(roomCode, session.userId)) ? session.userId : null;
}

/** Answers everything under /files/; false for every other path. */
export async function handleFileRequest(
  request: IncomingMessage,
  response: ServerResponse,
  deps: FileRouteDeps,
): Promise<boolean> {
  const url = new URL(request.url ?? "/", "http://x");
  const match = url.pathname.match(ROUTE);
  if (!url.pathname.startsWith("/files/")) return false;
  const [, roomCode = "", fileId, variant] = match ?? [];
  if (
    !match ||
    !isRoomCode(roomCode) ||
    (fileId !== undefined && !fileIdSchema.safeParse(fileId).success)
  ) {
    return refuse(response, "no-such-file", "No such file.");
  }
  if (fileId === undefined) {
    if (request.method !== "POST") return refuse(response, "invalid", "Use POST to upload.");
    return upload(request, response, roomCode, url.searchParams, deps);
  }
  if (request.method !== "GET" && request.method !== "HEAD")
    return refuse(response, "invalid", "Use GET to download.");
  return serve(request, response, roomCode, fileId, variant === "thumbnail", deps);
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  roomCode: string,
  fileId: string,
  thumbnail: boolean,
  deps: FileRouteDeps,
): Promise<true> {
  if (!(await memberOf(request, roomCode, deps)))
    return refuse(response, "not-member", "Only members of this room can open its files.");
  const file = await deps.files.getFile(roomCode, fileId);
  if (!file || (thumbnail && !file.thumbnail))
    return refuse(response, "no-such-file", "No such file.");
  const headers = fileHeaders(file, thumbnail ? THUMBNAIL_TYPE : file.type);
  // Previews are small: they are sent whole, without a length known in advance.
  const range = thumbnail ? null : parseRange(request.headers.range, file.size);
  if (range === "unsatisfiable") {
    response.writeHead(416, { ...headers, "Content-Range": `bytes */${file.size}` }).end();
    return true;
  }
  const status = range ? 206 : 200;
  response.writeHead(status, {
    ...headers,
    ...(thumbnail ? {} : { "Accept-Ranges": "bytes" }),
    ...(range
      ? {
          "Content-Range": `bytes ${range.start}-${range.end}/${file.size}`,
          "Content-Length": String(range.end - range.start + 1),
        }
      : thumbnail
        ? {}
        : { "Content-Length": String(file.size) }),
  });
  if (request.method === "HEAD") {
    response.end();
    return true;
  }
  const stream = await deps.files.readFile(
    roomCode,
    fileId,
    thumbnail ? "thumbnail" : "original",
    range ?? undefined,
  );
  if (!stream) {
    response.destroy();
    return true;
  }
  await pipeline(stream, response).catch((error: unknown) => {
    // A reader who goes away mid-download is normal; anything else is worth a line.
    if (!response.destroyed || request.complete)
      deps.log.warn({ err: error, roomCode, fileId }, "file download failed");
  });
  return true;
}

async function upload(
  request: IncomingMessage,
  response: ServerResponse,
  roomCode: string,
  query: URLSearchParams,
  deps: FileRouteDeps,
): Promise<true> {
  const { config, files } = deps;
  const { fileBytes, roomFileBytes } = config.limits;
  // Whatever is refused early, the body is discarded so the browser can read the answer.
  const discard = () => {
    response.setHeader("Connection", "close");
    request.resume();
  };
  const clientId = clientIdSchema.safeParse(query.get("clientId"));
  const index = Number(query.get("index"));
  if (!clientId.success || !Number.isInteger(index) || index < 0 || index >= MAX_ATTACHMENTS) {
    discard();
    return refuse(response, "invalid", "An upload needs its message id and index.");
  }
  const origin = request.headers.origin;
  if (!isAllowedOrigin(origin, requestHost(request, config.trustProxy), config.allowedOrigins)) {
    discard();
    return refuse(response, "not-member", "Uploads are only accepted from this site's pages.");
  }
  const userId = await memberOf(request, roomCode, deps);
  if (!userId) {
    discard();
    return refuse(response, "not-member", "Only members of this room can send it files.");
  }

  // A retry of a stored upload gets the stored file back, without its bytes being read again.
  const stored = await files.findUpload(roomCode, clientId.data, index);
  if (stored) {
    discard();
    if (stored.uploaderId !== userId)
      return refuse(response, "invalid", "That upload id is taken.");
    sendJson(response, 200, { ok: true, file: toAttachment(stored) } satisfies UploadResult);
    return true;
  }

  const tooLarge = () =>
    refuse(response, "file-too-large", `Files can be at most ${formatBytes(fileBytes)}.`);
  const roomFull = () =>
    refuse(
      response,
      "room-files-full",
      `This room's files have reached ${formatBytes(roomFileBytes)}. No more can be sent.`,
    );
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > fileBytes + MULTIPART_OVERHEAD) {
    discard();
    return tooLarge();
  }
  const decision = await deps.uploadLimit.take(userId);
  if (!decision.allowed) {
    discard();
    return refuse(
      response,
      "rate-limited",
      `You are sending files too fast. Try again in ${Math.max(decision.retryAfterSeconds, 1)} s.`,
    );
  }
  if ((await files.roomBytes(roomCode)) + Math.min(declared, fileBytes) > roomFileBytes) {
    discard();
    return roomFull();
  }

  // Someone who cancels (or closes the page) while their file is processed gets nothing stored:
  // an upload no message will carry must not count against the room's total.
  let cancelled = false;
  response.once("close", () => (cancelled = !response.writableFinished));
  const incoming = incomingDir(config.filesDir);
  await mkdir(incoming, { recursive: true });
  const temp = path.join(incoming, newFileId());
  const cleaned = `${temp}.clean`;
  const thumbnailPath = `${temp}.thumbnail`;
  try {
    const received = await receiveUpload(request, temp, fileBytes);
    if (!received.ok) {
      if (received.reason === "too-large") return tooLarge();
      return refuse(response, "invalid", "The upload did not contain a complete file.");
    }
    // The type comes from the bytes; the name and the browser's claim are not believed.
    const type = (await fileTypeFromFile(temp))?.mime ?? "application/octet-stream";
    const image = await prepareImage(temp, type, cleaned, thumbnailPath);
    const originalPath = image ? cleaned : temp;
    const content = {
      original: createReadStream(originalPath),
      ...(image ? { thumbnail: createReadStream(thumbnailPath) } : {}),
      movable: { original: originalPath, ...(image ? { thumbnail: thumbnailPath } : {}) },
    };
    if (cancelled) {
      content.original.destroy();
      content.thumbnail?.destroy();
      return true;
    }
    // Checked again with the real size: concurrent uploads may have used the room's room.
    const { size } = await stat(originalPath);
    if ((await files.roomBytes(roomCode)) + size > roomFileBytes) {
      content.original.destroy();
      content.thumbnail?.destroy();
      return roomFull();
    }
    const saved = await files.saveFile(
      {
        roomCode,
        uploaderId: userId,
        clientId: clientId.data,
        index,
        name: received.name,
        // A file that claims to be an image but does not decode is never shown inline.
        type: image || !INLINE_IMAGE_TYPES.has(type) ? type : "application/octet-stream",
        ...(image ?? {}),
        createdAt: Date.now(),
      },
      content,
    );
    // Cancelled while it was being stored: what a retry would find stays, a first copy goes.
    if (cancelled && !saved.duplicate) {
      await files.deleteFile(roomCode, saved.file.id);
      return true;
    }
    sendJson(response, saved.duplicate ? 200 : 201, {
      ok: true,
      file: toAttachment(saved.file),
    } satisfies UploadResult);
    return true;
  } finally {
    await Promise.all([temp, cleaned, thumbnailPath].map((file) => rm(file, { force: true })));
  }
}
