"use client";
// A modal on the native <dialog>: the browser keeps focus inside, makes the page behind inert,
// closes it on Escape and hands focus back to the button that opened it.
import { useEffect, useRef } from "react";

export function ModalDialog({
  open,
  onClose,
  label,
  className,
  children,
}: {
  open: boolean;
  onClose: () => void;
  /** The dialog's accessible name. */
  label: string;
  className: string;
  children: React.ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog
      ref={dialog}
      aria-label={label}
      className={`bg-white text-slate-900 shadow-2xl backdrop:bg-slate-950/60 dark:bg-slate-900 dark:text-slate-100 ${className}`}
      // The browser fires "close" a moment after close(): by then the dialog may be open again
      // (Cancel, then at once the same button), and that late event must not shut the new one.
      onClose={(event) => {
        if (!event.currentTarget.open) onClose();
      }}
      // A click on the backdrop lands on the dialog itself; the content covers all of its inside.
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      {open && children}
    </dialog>
  );
}
