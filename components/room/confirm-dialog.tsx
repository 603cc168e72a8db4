"use client";
// Asks before an owner's action that cannot be undone from here (remove, hand over): a slip on a
// small button must not end someone's membership or give the room away. Cancel has focus first.
import { ModalDialog } from "./modal-dialog";

export function ConfirmDialog({
  question,
  explanation,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  /** Null while closed; otherwise the dialog's heading and accessible name. */
  question: string | null;
  explanation: string;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <ModalDialog
      open={question !== null}
      onClose={onClose}
      label={question ?? ""}
      className="m-auto w-[min(24rem,calc(100vw-2rem))] rounded-2xl"
    >
      <div className="space-y-4 p-5">
        <h2 className="text-lg font-semibold">{question}</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">{explanation}</p>
        <div className="flex justify-end gap-2">
          <button
            type="button"
            autoFocus
            className="rounded-lg border border-slate-300 px-4 py-2 text-sm font-semibold hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
            onClick={onClose}
          >
            Cancel
          </button>
          <button
            type="button"
            className="rounded-lg bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800"
            onClick={() => {
              onConfirm();
              onClose();
            }}
          >
            {confirmLabel}
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}
