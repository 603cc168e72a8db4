"use client";
// The files attached to the message being written: each with its progress and a cancel button,
// or the reason the server refused it.
import type { DraftUploads } from "@/lib/client/file-uploads";
import { formatBytes } from "@/lib/file-size";

export function PendingFiles({
  uploads,
  onRemove,
}: {
  uploads: DraftUploads;
  onRemove: (index: number) => void;
}) {
  if (uploads.files.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-2 pb-2" aria-label="Attached files">
      {uploads.files.map((file) => {
        const percent = file.size > 0 ? Math.round((100 * file.sent) / file.size) : 100;
        return (
          <li
            key={file.index}
            className="flex w-56 max-w-full items-center gap-2 rounded-lg bg-slate-100 px-2 py-1.5 text-xs dark:bg-slate-800"
            data-upload={file.status}
          >
            <span className="min-w-0 flex-1">
              <span className="block truncate font-semibold" title={file.name}>
                {file.name}
              </span>
              {file.status === "refused" ? (
                <span role="alert" className="block text-red-700 dark:text-red-400">
                  {file.error}
                </span>
              ) : (
                <>
                  <span className="block text-slate-600 dark:text-slate-400">
                    {formatBytes(file.size)} ·{" "}
                    {file.status === "stored" ? "Ready" : `Uploading ${percent}%`}
                  </span>
                  <span
                    role="progressbar"
                    aria-label={`Upload of ${file.name}`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={file.status === "stored" ? 100 : percent}
                    className="mt-1 block h-1 overflow-hidden rounded bg-slate-300 dark:bg-slate-700"
                  >
                    <span
                      className="block h-full bg-accent-600 transition-[width] dark:bg-accent-500"
                      style={{ width: `${file.status === "stored" ? 100 : percent}%` }}
                    />
                  </span>
                </>
              )}
            </span>
            <button
              type="button"
              onClick={() => onRemove(file.index)}
              aria-label={`${file.status === "uploading" ? "Cancel upload of" : "Remove"} ${file.name}`}
              className="flex size-8 shrink-0 items-center justify-center rounded-md text-base hover:bg-slate-200 dark:hover:bg-slate-700"
            >
              <span aria-hidden>×</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
