"use client";
// Files in a message: image previews that take their final size before they load (the stored
// dimensions), opening the viewer; every other file as a card with its name, size, type and a download.
import { createContext, useContext } from "react";
import { fileUrl, type Attachment } from "@/lib/chat-events";
import { formatBytes } from "@/lib/file-size";

/** The room whose files are shown, and how to open one of its images in the viewer. */
export const RoomFilesContext = createContext<{
  roomCode: string;
  openImage: (fileId: string) => void;
}>({ roomCode: "", openImage: () => {} });

/** The longest edge of a preview in the conversation, in CSS pixels. */
const PREVIEW_EDGE = 240;

export function isPreviewable(
  file: Attachment,
): file is Attachment & { width: number; height: number } {
  return file.thumbnail === true && file.width !== undefined && file.height !== undefined;
}

function previewSize(file: { width: number; height: number }) {
  const scale = Math.min(1, PREVIEW_EDGE / file.width, PREVIEW_EDGE / file.height);
  return {
    width: Math.max(1, Math.round(file.width * scale)),
    height: Math.max(1, Math.round(file.height * scale)),
  };
}

/** "PDF", "PNG", "ZIP"… from the type read from the bytes; "File" when unknown. */
export function typeLabel(type: string): string {
  if (type === "application/octet-stream") return "File";
  const subtype = type.split("/")[1] ?? "";
  return (subtype.replace(/^(x-|vnd\.)/, "").split(/[.+-]/)[0] ?? "file").toUpperCase();
}

export function MessageAttachments({
  attachments,
  own,
}: {
  attachments: readonly Attachment[];
  /** The reader's own message: its files line up on the right, as its text does. */
  own: boolean;
}) {
  const { roomCode, openImage } = useContext(RoomFilesContext);
  return (
    <ul
      className={`flex max-w-full flex-wrap gap-2 pt-1 ${own ? "justify-end" : ""}`}
      aria-label="Files"
    >
      {attachments.map((file) =>
        isPreviewable(file) ? (
          <li key={file.id} className="max-w-full">
            <button
              type="button"
              onClick={() => openImage(file.id)}
              className="block max-w-full overflow-hidden rounded-xl bg-slate-200 ring-1 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700"
              aria-label={`Open image ${file.name}`}
            >
              {/* Sized from the stored dimensions, so nothing below jumps when it loads. */}
              {/* Member-only files behind our cookie check: next/image's optimiser would fetch them without it. */}
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img
                src={fileUrl(roomCode, file.id, "thumbnail")}
                alt={file.name}
                {...previewSize(file)}
                loading="lazy"
                decoding="async"
                className="block h-auto max-w-full"
                style={{ aspectRatio: `${file.width} / ${file.height}` }}
              />
            </button>
          </li>
        ) : (
          <li key={file.id} className="max-w-full">
            <FileCard roomCode={roomCode} file={file} />
          </li>
        ),
      )}
    </ul>
  );
}

function FileCard({ roomCode, file }: { roomCode: string; file: Attachment }) {
  return (
    <div
      className="flex w-64 max-w-full items-center gap-3 rounded-xl bg-white p-3 text-slate-900 shadow-sm ring-1 ring-slate-200 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-700"
      data-file-card
    >
      <span
        aria-hidden
        className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-accent-600/10 text-[10px] font-bold text-accent-700 dark:bg-accent-100/10 dark:text-accent-100"
      >
        {typeLabel(file.type).slice(0, 4)}
      </span>
      <span className="min-w-0 flex-1">
        <span className="block truncate text-sm font-semibold" title={file.name}>
          {file.name}
        </span>
        <span className="block text-xs text-slate-600 dark:text-slate-400">
          {formatBytes(file.size)} · {typeLabel(file.type)}
        </span>
      </span>
      <a
        href={fileUrl(roomCode, file.id)}
        download={file.name}
        aria-label={`Download ${file.name} (${formatBytes(file.size)})`}
        className="shrink-0 rounded-lg px-2 py-1.5 text-sm font-semibold text-accent-700 underline hover:bg-slate-100 dark:text-accent-100 dark:hover:bg-slate-700"
      >
        Download
      </a>
    </div>
  );
}
