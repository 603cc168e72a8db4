"use client";
// The message box: Enter sends, Shift+Enter starts a new line (on touch screens, whose keyboards
// have no Shift+Enter, Enter is a new line and the Send button sends), typing is announced
// (throttled), and text over the limit is refused with a counter instead of being cut.
// Files come by button, camera, paste or drop (on the room), upload at once, and go with the text.
// A reply or an edit shows as a bar above the box with Cancel (or Escape); ArrowUp in an empty box
// edits your last message.
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { TYPING_REFRESH_MS, type Attachment, type ChatMessage } from "@/lib/chat-events";
import { plainExcerpt } from "@/lib/client/message-format";
import { readyAttachments, type DraftUploads, type UploadDraft } from "@/lib/client/file-uploads";
import { MESSAGE_MAX_LENGTH } from "@/lib/text-rules";
import { AttachButtons } from "./attach-buttons";

// Shown once a file is attached: not part of the first paint.
const PendingFiles = lazy(() =>
  import("./pending-files").then((module) => ({ default: module.PendingFiles })),
);

/** The counter shows from this many characters before the limit. */
const COUNTER_FROM = MESSAGE_MAX_LENGTH - 200;

/** What the box is writing besides a new message: a reply to one, or a new wording of one. */
export type ComposerTarget = { kind: "reply" | "edit"; message: ChatMessage };

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
  target,
  onTarget,
  onEdit,
  lastOwn,
}: {
  onSend: (
    body: string,
    files?: { clientId: string; attachments: Attachment[] },
    replyTo?: number,
  ) => string | null;
  target: ComposerTarget | null;
  onTarget: (target: ComposerTarget | null) => void;
  /** Resolves with why the edit was refused, or null. */
  onEdit: (seq: number, body: string) => Promise<string | null>;
  /** Your newest text message, which ArrowUp in an empty box edits. */
  lastOwn: ChatMessage | undefined;
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

  const editing = target?.kind === "edit" ? target.message : null;

  // Arriving in the room means writing in it: no hunting for the box with Tab.
  useEffect(() => {
    if (!disabled) box.current?.focus({ preventScroll: true });
  }, [disabled, target]);

  // Editing starts from the message's current wording.
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (editing) setBody(editing.body);
  }, [editing]);

  function cancelTarget() {
    if (editing) setBody("");
    onTarget(null);
  }

  async function submitEdit(message: ChatMessage) {
    if (body.trim() === "" || body.trim() === message.body) return cancelTarget();
    const problem = await onEdit(message.seq, body);
    setError(problem);
    if (problem) return;
    setBody("");
    onTarget(null);
  }

  function submit() {
    if (editing) return void submitEdit(editing);
    // Enter obeys the same rule as the Send button: nothing goes out of a room that has ended.
    if (!canSend) return;
    const problem = onSend(
      body,
      ready.length > 0 ? { clientId: uploads.clientId, attachments: ready } : undefined,
      target?.kind === "reply" ? target.message.seq : undefined,
    );
    setError(problem);
    // The box keeps focus (and a phone its keyboard) for the next message.
    box.current?.focus({ preventScroll: true });
    if (problem) return;
    setBody("");
    onTarget(null);
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
      {target && (
        <div
          className="mb-2 flex items-center gap-2 rounded-lg border-l-4 border-accent-500 bg-slate-100 px-3 py-1.5 text-sm dark:bg-slate-800"
          data-composer-target={target.kind}
        >
          <p className="min-w-0 flex-1 truncate">
            {target.kind === "edit" ? (
              "Editing your message"
            ) : (
              <>
                Replying to <span className="font-semibold">{target.message.authorName}</span>
                {": "}
                {plainExcerpt(target.message.body, 80)}
              </>
            )}
          </p>
          <button
            type="button"
            onClick={cancelTarget}
            className="shrink-0 rounded-lg px-2 py-1 font-semibold text-accent-700 hover:bg-slate-200 dark:text-accent-100 dark:hover:bg-slate-700"
          >
            Cancel
          </button>
        </div>
      )}
      {uploads.files.length > 0 && (
        <Suspense>
          <PendingFiles uploads={uploads} onRemove={(index) => draft.remove(index)} />
        </Suspense>
      )}
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
              if (event.key === "Escape" && target) {
                event.preventDefault();
                cancelTarget();
                return;
              }
              if (event.key === "ArrowUp" && body === "" && !target && lastOwn) {
                event.preventDefault();
                onTarget({ kind: "edit", message: lastOwn });
                return;
              }
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
          {attached && ready === null && !disabled ? "Uploading…" : editing ? "Save" : "Send"}
        </button>
      </div>
    </form>
  );
}
