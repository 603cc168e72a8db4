// The response headers of a stored file: only allowlisted raster images are ever shown inline;
// everything else (SVG, HTML, unknown) downloads, sandboxed, so an upload can never run as a page.
import type { ServerResponse } from "node:http";
import type { ByteRange, StoredFile } from "../store/file-store";
import { INLINE_IMAGE_TYPES } from "./images";

/** Files never change under their id; `private` keeps shared caches out. */
const CACHE_CONTROL = "private, max-age=86400";

export function contentDisposition(name: string, inline: boolean): string {
  // An ASCII fallback for old clients, and the exact name in RFC 5987 form.
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  return `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function fileHeaders(
  file: Pick<StoredFile, "id" | "name" | "type">,
  type: string,
): Record<string, string> {
  const inline = INLINE_IMAGE_TYPES.has(type);
  return {
    "Content-Type": inline ? type : "application/octet-stream",
    "Content-Disposition": contentDisposition(file.name, inline),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": CACHE_CONTROL,
    ETag: `"${file.id}"`,
  };
}

/**
 * A single `bytes=` range of a file of `size` bytes: the range, "unsatisfiable", or null for
 * a whole-file answer (no header, several ranges, or a form we do not serve partially).
 */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | "unsatisfiable" | null {
  const match = header?.match(/^bytes=(\d*)-(\d*)$/);
  if (!match || (match[1] === "" && match[2] === "")) return null;
  const [, from = "", to = ""] = match;
  let start: number;
  let end: number;
  if (from === "") {
    start = Math.max(0, size - Number(to));
    end = size - 1;
  } else {
    start = Number(from);
    end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start > end || start >= size) return "unsatisfiable";
  return { start, end };
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response
    .writeHead(status, {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    })
    .end(JSON.stringify(body));
}
