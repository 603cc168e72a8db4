"use client";
// The QR code dialog's content: the room link drawn as a code, with ways to copy it. Loaded when
// the dialog first opens, like the encoder it draws with.
import { useEffect, useState } from "react";
import { qrCodeDataUrl } from "@/lib/client/qr-code";
import { CopyButton } from "./copy-button";

const panelButton =
  "rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";

/** Hosts only this computer can reach: a phone scanning the code would not find the server. */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function QrCodePanel({
  link,
  roomCode,
  onClose,
}: {
  link: string;
  roomCode: string;
  onClose: () => void;
}) {
  const image = useQrCode(link);
  const host = new URL(link).hostname;

  return (
    <div className="space-y-4 p-5">
      <div className="flex items-start justify-between gap-4">
        <h2 className="text-lg font-semibold">
          Scan to join room <span className="font-mono tracking-widest">{roomCode}</span>
        </h2>
        <button
          type="button"
          className="rounded-lg border border-slate-300 px-2.5 py-1 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          onClick={onClose}
        >
          Close
        </button>
      </div>
      {/* Dark on white in both themes: scanners expect it, and the quiet zone stays visible. */}
      <div className="mx-auto aspect-square w-full max-w-64 rounded-xl bg-white p-1 ring-1 ring-slate-200 dark:ring-0">
        {image.status === "ready" && (
          // A data URL drawn here: next/image would add nothing for it.
          // eslint-disable-next-line @next/next/no-img-element
          <img src={image.url} alt={`QR code for ${link}`} className="size-full" />
        )}
        {image.status === "loading" && (
          <p className="flex size-full items-center justify-center text-sm text-slate-600">
            Drawing the code…
          </p>
        )}
        {image.status === "failed" && (
          <p className="flex size-full items-center justify-center p-4 text-center text-sm text-red-700">
            The code could not be drawn. Share the link instead.
          </p>
        )}
      </div>
      <p className="break-all text-center font-mono text-sm">{link}</p>
      <div className="flex justify-center gap-2">
        <CopyButton className={panelButton} label="Copy link" text={() => link} />
        <CopyButton className={panelButton} label="Copy code" text={() => roomCode} />
      </div>
      {LOOPBACK_HOSTS.has(host) && (
        <p className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          This page was opened at {host}, which only this computer can reach. To invite a phone,
          open the room at one of the network addresses the server printed when it started.
        </p>
      )}
    </div>
  );
}

type QrImage = { status: "loading" } | { status: "ready"; url: string } | { status: "failed" };

function useQrCode(link: string): QrImage {
  const [drawn, setDrawn] = useState<{ link: string; image: QrImage } | null>(null);
  useEffect(() => {
    let current = true;
    qrCodeDataUrl(link).then(
      (url) => current && setDrawn({ link, image: { status: "ready", url } }),
      () => current && setDrawn({ link, image: { status: "failed" } }),
    );
    return () => {
      current = false;
    };
  }, [link]);
  return drawn?.link === link ? drawn.image : { status: "loading" };
}
