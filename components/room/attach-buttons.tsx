"use client";
// The composer's ways to pick files: any files (several at once), and on phones the camera.
export function AttachButtons({
  disabled,
  onFiles,
}: {
  disabled: boolean;
  onFiles: (files: FileList | null) => void;
}) {
  const pickerClass =
    "flex size-11 shrink-0 cursor-pointer items-center justify-center rounded-xl text-slate-600 hover:bg-slate-100 has-focus-visible:outline-2 has-focus-visible:outline-accent-500 has-disabled:cursor-not-allowed has-disabled:opacity-50 dark:text-slate-300 dark:hover:bg-slate-800";
  const input = (extra: React.InputHTMLAttributes<HTMLInputElement>) => (
    <input
      type="file"
      disabled={disabled}
      className="sr-only"
      onChange={(event) => {
        onFiles(event.target.files);
        // The same file picked again must still be an event.
        event.target.value = "";
      }}
      {...extra}
    />
  );
  return (
    <>
      <label className={pickerClass} title="Attach files">
        <span className="sr-only">Attach files</span>
        <PaperclipIcon />
        {input({ multiple: true })}
      </label>
      {/* Phones open the camera; elsewhere this would be a second picker, so it is hidden. */}
      <label className={`${pickerClass} sm:hidden`} title="Take a photo">
        <span className="sr-only">Take a photo</span>
        <CameraIcon />
        {input({ accept: "image/*", capture: "environment" })}
      </label>
    </>
  );
}

/** A line icon in the text colour, hidden from screen readers (its label says what it does). */
function LineIcon({ children }: { children: React.ReactNode }) {
  return (
    <svg
      aria-hidden
      viewBox="0 0 24 24"
      className="size-5"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {children}
    </svg>
  );
}

function PaperclipIcon() {
  return (
    <LineIcon>
      <path d="m21.44 11.05-9.19 9.19a6 6 0 0 1-8.49-8.49l8.57-8.57A4 4 0 1 1 18 8.84l-8.59 8.57a2 2 0 0 1-2.83-2.83l8.49-8.48" />
    </LineIcon>
  );
}

function CameraIcon() {
  return (
    <LineIcon>
      <path d="M14.5 4h-5L7 7H4a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V9a2 2 0 0 0-2-2h-3l-2.5-3z" />
      <circle cx="12" cy="13" r="3" />
    </LineIcon>
  );
}
