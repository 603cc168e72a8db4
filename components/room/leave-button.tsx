"use client";
// "Leave room" ends the membership and closes every tab of it: one slip of a thumb must not do
// that, so it asks first.
import { useState } from "react";
import { leaveRoom } from "@/app/actions";
import { ModalDialog } from "./modal-dialog";

export function LeaveButton({
  roomCode,
  className,
  disabled,
}: {
  roomCode: string;
  className: string;
  disabled: boolean;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-haspopup="dialog"
        disabled={disabled}
        className={`${className} text-red-700 dark:text-red-400`}
        onClick={() => setOpen(true)}
      >
        Leave room
      </button>
      <ModalDialog
        open={open}
        onClose={() => setOpen(false)}
        label={`Leave room ${roomCode}?`}
        className="m-auto w-[min(24rem,calc(100vw-2rem))] rounded-2xl"
      >
        <form action={leaveRoom} className="space-y-4 p-5">
          <input type="hidden" name="code" value={roomCode} />
          <h2 className="text-lg font-semibold">
            Leave room <span className="font-mono tracking-widest">{roomCode}</span>?
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            You stop being a member: your other tabs of this room close too, and coming back takes
            the code again.
          </p>
          <div className="flex justify-end gap-2">
            <button
              type="button"
              autoFocus
              className="rounded-lg border border-slate-300 px-4 py-2 text-sm font-semibold hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
              onClick={() => setOpen(false)}
            >
              Stay
            </button>
            <button
              type="submit"
              className="rounded-lg bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800"
            >
              Leave
            </button>
          </div>
        </form>
      </ModalDialog>
    </>
  );
}
