"use client";
// The message box: Enter sends, Shift+Enter starts a new line (on touch screens, whose keyboards
// have no Shift+Enter, Enter is a new line and the Send button sends), typing is announced
// (throttled), and text over the limit is refused with a counter instead of being cut.
// Files come by button, camera, paste or drop (on the room), upload at once, and go with the text.
import { useEffect, useRef, useState } from "react";
import { TYPING_REFRESH_MS, type Attachment } from "@/lib/chat-events";
import { readyAttachments, type DraftUploads, type UploadDraft } from "@/lib/client/file-uploads";
import { MESSAGE_MAX_LENGTH } from "@/lib/text-rules";
import { AttachButtons } from "./attach-buttons";
import { PendingFiles } from "./pending-files";

/** The counter shows from this many characters before the limit. */
const COUNTER_FROM = MESSAGE_MAX_LENGTH - 200;

/** Phones and tablets: their keyboards type a newline with Enter and have no Shift. */
function touchKeyboard(): boolean {
  return window.matchMedia("(pointer: coarse)").matches;
}

export function Composer({
  onSend,
  onTyping,
  disabled,
  draft,
  uploads,
  fileError,
  onFileError,
}: {
  onSend: (body: string, files?: { clientId: string; attachments: Attachment[] }) => string | null;
  onTyping: (typing: boolean) => void;
  disabled: boolean;
  draft: UploadDraft;
  uploads: DraftUploads;
  /** Why files were not attached (too large, too many), from any way of adding them. */
  fileError: string | null;
  onFileError: (error: string | null) => void;
}) {
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const lastTypingSent = useRef(0);
  const box = useRef<HTMLTextAreaElement>(null);
  const length = body.trim().length;
  const over = length - MESSAGE_MAX_LENGTH;
  const attached = uploads.files.length > 0;
  // The message leaves only when every file is stored; a refused one must be removed first.
  const ready = readyAttachments(uploads);
  const canSend = !disabled && ready !== null && (attached || body.trim() !== "");
  const shownError = error ?? fileError;

  // Arriving in the room means writing in it: no hunting for the box with Tab.
  useEffect(() => {
    if (!disabled) box.current?.focus({ preventScroll: true });
  }, [disabled]);

  function submit() {
    // Enter obeys the same rule as the Send button: nothing goes out of a room that has ended.
    if (!canSend) return;
    const problem = onSend(
      body,
      ready.length > 0 ? { clientId: uploads.clientId, attachments: ready } : undefined,
    );
    setError(problem);
    // The box keeps focus (and a phone its keyboard) for the next message.
    box.current?.focus({ preventScroll: true });
    if (problem) return;
    setBody("");
    draft.reset();
    onFileError(null);
    lastTypingSent.current = 0;
  }

  function attach(files: FileList | null) {
    if (files && files.length > 0) onFileError(draft.add([...files]));
  }

  function change(value: string) {
    setBody(value);
    setError(null);
    const now = Date.now();
    if (value.trim() === "") {
      if (lastTypingSent.current !== 0) onTyping(false);
      lastTypingSent.current = 0;
    } else if (now - lastTypingSent.current > TYPING_REFRESH_MS) {
      lastTypingSent.current = now;
      onTyping(true);
    }
  }

  const describedBy = [shownError && "composer-error", length >= COUNTER_FROM && "composer-counter"]
    .filter(Boolean)
    .join(" ");
  return (
    <form
      className="border-t border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <PendingFiles uploads={uploads} onRemove={(index) => draft.remove(index)} />
      <div className="flex items-end gap-2">
        <AttachButtons disabled={disabled} onFiles={attach} />
        {/* min-w-0: a flex item is otherwise as wide as its longest unbreakable line. */}
        <div className="min-w-0 flex-1">
          <textarea
            ref={box}
            aria-label="Message"
            aria-describedby={describedBy || undefined}
            aria-invalid={over > 0 || undefined}
            value={body}
            disabled={disabled}
            onChange={(event) => change(event.target.value)}
            onPaste={(event) => {
              // A pasted screenshot arrives as a file; pasted text goes on as usual.
              if (event.clipboardData.files.length === 0) return;
              event.preventDefault();
              attach(event.clipboardData.files);
            }}
            onKeyDown={(event) => {
              // Enter sends; Shift+Enter (and Enter while an IME composes a word) does not.
              if (
                event.key === "Enter" &&
                !event.shiftKey &&
                !event.nativeEvent.isComposing &&
                !touchKeyboard()
              ) {
                event.preventDefault();
                submit();
              }
            }}
            rows={1}
            placeholder={disabled ? "This room is closed to you" : "Write a message…"}
            className="block field-sizing-content max-h-40 min-h-11 w-full resize-none rounded-xl border border-slate-300 bg-white px-3 py-2.5 text-base [overflow-wrap:anywhere] disabled:cursor-not-allowed disabled:opacity-60 dark:border-slate-700 dark:bg-slate-950"
          />
          {(shownError || length >= COUNTER_FROM) && (
            <div className="flex justify-between gap-3 pt-1 text-xs">
              <p id="composer-error" role="alert" className="text-red-700 dark:text-red-400">
                {shownError}
              </p>
              {length >= COUNTER_FROM && (
                <p
                  id="composer-counter"
                  className={`shrink-0 tabular-nums ${over > 0 ? "font-semibold text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400"}`}
                >
                  {over > 0
                    ? `${over} over the ${MESSAGE_MAX_LENGTH}-character limit`
                    : `${MESSAGE_MAX_LENGTH - length} characters left`}
                </p>
              )}
            </div>
          )}
        </div>
        <button
          type="submit"
          disabled={!canSend}
          // Pressing the button must not take focus from the box: on a phone that closes the keyboard.
          onMouseDown={(event) => event.preventDefault()}
          className="min-h-11 shrink-0 rounded-xl bg-accent-600 px-4 font-semibold text-white hover:bg-accent-700 disabled:opacity-50"
        >
          {attached && ready === null && !disabled ? "Uploading…" : "Send"}
        </button>
      </div>
    </form>
  );
}
