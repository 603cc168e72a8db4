"use client";
// The message box: Enter sends, Shift+Enter starts a new line (on touch screens, whose keyboards
// have no Shift+Enter, Enter is a new line and the Send button sends), typing is announced
// (throttled), and text over the limit is refused with a counter instead of being cut.
import { useEffect, useRef, useState } from "react";
import { TYPING_REFRESH_MS } from "@/lib/chat-events";
import { MESSAGE_MAX_LENGTH } from "@/lib/text-rules";

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
}: {
  onSend: (body: string) => string | null;
  onTyping: (typing: boolean) => void;
  disabled: boolean;
}) {
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const lastTypingSent = useRef(0);
  const box = useRef<HTMLTextAreaElement>(null);
  const length = body.trim().length;
  const over = length - MESSAGE_MAX_LENGTH;

  // Arriving in the room means writing in it: no hunting for the box with Tab.
  useEffect(() => {
    if (!disabled) box.current?.focus({ preventScroll: true });
  }, [disabled]);

  function submit() {
    // Enter obeys the same rule as the Send button: nothing goes out of a room that has ended.
    if (disabled || body.trim() === "") return;
    const problem = onSend(body);
    setError(problem);
    // The box keeps focus (and a phone its keyboard) for the next message.
    box.current?.focus({ preventScroll: true });
    if (problem) return;
    setBody("");
    lastTypingSent.current = 0;
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

  const describedBy = [error && "composer-error", length >= COUNTER_FROM && "composer-counter"]
    .filter(Boolean)
    .join(" ");
  return (
    <form
      className="flex items-end gap-2 border-t border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
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
        {(error || length >= COUNTER_FROM) && (
          <div className="flex justify-between gap-3 pt-1 text-xs">
            <p id="composer-error" role="alert" className="text-red-700 dark:text-red-400">
              {error}
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
        disabled={disabled || body.trim() === ""}
        // Pressing the button must not take focus from the box: on a phone that closes the keyboard.
        onMouseDown={(event) => event.preventDefault()}
        className="min-h-11 shrink-0 rounded-xl bg-accent-600 px-4 font-semibold text-white hover:bg-accent-700 disabled:opacity-50"
      >
        Send
      </button>
    </form>
  );
}
