"use client";
// "QR code": the room link as a code a phone can scan, drawn locally when first asked for.
import { lazy, Suspense, useState } from "react";
import { loadQrCodeEncoder } from "@/lib/client/qr-code";
import { ModalDialog } from "./modal-dialog";

const loadPanel = () => import("./qr-code-panel");
const QrCodePanel = lazy(() => loadPanel().then((module) => ({ default: module.QrCodePanel })));

/** Fetches the dialog and the encoder while the pointer or focus is on its way. */
function prepare(): void {
  loadPanel().catch(() => {
    // Offline for a moment: opening the dialog tries again.
  });
  loadQrCodeEncoder();
}

export function QrCodeButton({
  roomCode,
  className,
  disabled,
  label,
}: {
  /** The button's words; "QR code" by default. */
  label?: string;
  roomCode: string;
  className: string;
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [link, setLink] = useState("");

  return (
    <>
      <button
        type="button"
        className={className}
        disabled={disabled}
        aria-haspopup="dialog"
        // Fetch the encoder as soon as the pointer or focus is on its way, so the code shows at once.
        onPointerEnter={prepare}
        onFocus={prepare}
        onClick={() => {
          // The address this page was opened with: the one that reached the server from here.
          setLink(`${window.location.origin}/r/${roomCode}`);
          setOpen(true);
        }}
      >
        {label ?? (
          <>
            <span className="sr-only">Show </span>QR code
          </>
        )}
      </button>
      <ModalDialog
        open={open}
        onClose={() => setOpen(false)}
        label={`Scan to join room ${roomCode}`}
        className="m-auto max-h-[calc(100dvh-2rem)] w-[min(22rem,calc(100vw-2rem))] overflow-y-auto rounded-2xl"
      >
        <Suspense>
          <QrCodePanel link={link} roomCode={roomCode} onClose={() => setOpen(false)} />
        </Suspense>
      </ModalDialog>
    </>
  );
}
