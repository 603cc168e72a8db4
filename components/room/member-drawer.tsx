"use client";
// Below the large breakpoint the side panel does not fit: a header button opens it as a drawer.
import { useState } from "react";
import { ModalDialog } from "./modal-dialog";

export function MemberDrawer({
  memberCount,
  className,
  disabled,
  children,
}: {
  disabled?: boolean;
  memberCount: number;
  className: string;
  children: React.ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={disabled}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        {/* On narrow screens an icon and the number stand for the words, which stay the name. */}
        <span aria-hidden className="md:hidden">
          <PeopleIcon />
          {memberCount}
        </span>
        <span className="max-md:sr-only">Members ({memberCount})</span>
      </button>
      <ModalDialog
        open={open}
        onClose={() => setOpen(false)}
        label="Members"
        className="m-0 ml-auto h-dvh max-h-dvh w-80 max-w-[85vw] border-l border-slate-200 dark:border-slate-800"
      >
        {/* The list starts below the Close button: its first row's Remove button sat against it. */}
        <div className="relative h-full overflow-y-auto p-4 pt-14">
          <button
            type="button"
            className="absolute right-3 top-3 rounded-lg border border-slate-300 px-2.5 py-1 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
            onClick={() => setOpen(false)}
          >
            Close
          </button>
          {children}
        </div>
      </ModalDialog>
    </>
  );
}

function PeopleIcon() {
  return (
    <svg
      aria-hidden
      viewBox="0 0 20 20"
      fill="currentColor"
      className="mr-1 inline-block size-4 align-[-3px]"
    >
      <path d="M7 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6Zm7.5 1a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5ZM1.6 15.1a5.5 5.5 0 0 1 10.8 0 .9.9 0 0 1-.6 1 15.7 15.7 0 0 1-9.6 0 .9.9 0 0 1-.6-1Zm12.8 1.4h.4a11 11 0 0 0 3.5-.6.8.8 0 0 0 .5-.9 4.5 4.5 0 0 0-6-3.4 7 7 0 0 1 1.6 4.9Z" />
    </svg>
  );
}
