// Reads one multipart file part into a temporary file, streaming, with the size limit enforced
// while it arrives: nothing is held whole in memory and an oversize upload stops at the limit.
import { createWriteStream } from "node:fs";
import type { IncomingMessage } from "node:http";
import { pipeline } from "node:stream/promises";
import Busboy from "@fastify/busboy";

export type Received =
  { ok: true; name: string } | { ok: false; reason: "too-large" | "no-file" | "malformed" };

/** The name a file was uploaded with, for display only: no folders, no control characters. */
export function displayFileName(raw: string | undefined): string {
  const base = (raw ?? "").split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[\p{Cc}\p{Cf}]/gu, "").trim();
  return clean.slice(0, 200) || "file";
}

/** Writes the request's one file to `targetPath` (the caller removes it); never rejects. */
export function receiveUpload(
  request: IncomingMessage,
  targetPath: string,
  maxBytes: number,
): Promise<Received> {
  return new Promise((resolve) => {
    const malformed = () => resolve({ ok: false, reason: "malformed" });
    let busboy: ReturnType<typeof Busboy>;
    try {
      busboy = Busboy({
        headers: request.headers as Parameters<typeof Busboy>[0]["headers"],
        limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1 },
      });
    } catch {
      return malformed();
    }
    let writing: Promise<Received> | undefined;
    busboy.on("file", (_field, stream, filename) => {
      const file = createWriteStream(targetPath, { flags: "wx" });
      // A client that goes away mid-upload must not leave the file open.
      request.once("close", () => {
        if (!request.complete) file.destroy();
      });
      writing = pipeline(stream, file).then(() =>
        stream.truncated
          ? { ok: false, reason: "too-large" }
          : { ok: true, name: displayFileName(filename) },
      );
    });
    busboy.on("finish", () => {
      (writing ?? Promise.resolve<Received>({ ok: false, reason: "no-file" })).then(
        resolve,
        malformed,
      );
    });
    busboy.on("error", malformed);
    request.once("close", () => {
      if (!request.complete) malformed();
    });
    request.pipe(busboy);
  });
}
