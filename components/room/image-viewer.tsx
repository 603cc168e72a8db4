"use client";
// The image viewer: one image of the conversation at full size, arrows (keys or buttons) to the
// previous and next image, Escape to close (the native dialog's own behaviour).
import { fileUrl, type Attachment } from "@/lib/chat-events";
import { ModalDialog } from "./modal-dialog";

export interface ViewedImage {
  roomCode: string;
  file: Attachment & { width: number; height: number };
}

export function ImageViewer({
  images,
  current,
  onShow,
  onClose,
}: {
  images: readonly ViewedImage[];
  /** Index into `images`; null when closed. */
  current: number | null;
  onShow: (index: number) => void;
  onClose: () => void;
}) {
  const image = current === null ? undefined : images[current];
  const step = (by: number) => {
    if (current === null || images.length === 0) return;
    onShow((current + by + images.length) % images.length);
  };
  const buttonClass =
    "min-h-11 rounded-lg px-3 font-semibold text-white hover:bg-white/15 disabled:opacity-40";
  return (
    <ModalDialog
      open={image !== undefined}
      onClose={onClose}
      label={image ? `Image ${image.file.name}` : "Image"}
      className="m-auto h-dvh max-h-none w-screen max-w-none bg-slate-950! p-0 text-white!"
    >
      {image && (
        <div
          className="flex h-full flex-col"
          onKeyDown={(event) => {
            if (event.key === "ArrowLeft") step(-1);
            if (event.key === "ArrowRight") step(1);
          }}
        >
          <div className="flex items-center gap-2 p-2">
            <p className="min-w-0 flex-1 truncate px-2 text-sm" aria-live="polite">
              {image.file.name}
              {images.length > 1 && ` · ${(current ?? 0) + 1} of ${images.length}`}
            </p>
            <a
              className={`${buttonClass} flex items-center`}
              href={fileUrl(image.roomCode, image.file.id)}
              download={image.file.name}
            >
              Download
            </a>
            <button type="button" className={buttonClass} onClick={onClose} autoFocus>
              Close
            </button>
          </div>
          <div className="relative flex min-h-0 flex-1 items-center justify-center p-2">
            {/* Member-only files behind our cookie check: next/image's optimiser would fetch them without it. */}
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img
              key={image.file.id}
              src={fileUrl(image.roomCode, image.file.id)}
              alt={image.file.name}
              width={image.file.width}
              height={image.file.height}
              className="max-h-full max-w-full object-contain"
              style={{ aspectRatio: `${image.file.width} / ${image.file.height}` }}
            />
          </div>
          {images.length > 1 && (
            <div className="flex justify-center gap-4 p-2">
              <button type="button" className={buttonClass} onClick={() => step(-1)}>
                <span aria-hidden>←</span> Previous image
              </button>
              <button type="button" className={buttonClass} onClick={() => step(1)}>
                Next image <span aria-hidden>→</span>
              </button>
            </div>
          )}
        </div>
      )}
    </ModalDialog>
  );
}
