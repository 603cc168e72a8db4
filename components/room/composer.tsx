"use client";
// The message box: Enter sends, Shift+Enter starts a new line, and typing is announced (throttled).
import { useRef, useState } from "react";
import { TYPING_REFRESH_MS } from "@/lib/chat-events";
import { MESSAGE_MAX_LENGTH } from "@/lib/text-rules";

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

  function submit() {
    // Enter obeys the same rule as the Send button: nothing goes out of a room that has ended.
    if (disabled || body.trim() === "") return;
    const problem = onSend(body);
    setError(problem);
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

  return (
    <form
      className="flex items-end gap-2 border-t border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="flex-1">
        <textarea
          aria-label="Message"
          aria-describedby={error ? "composer-error" : undefined}
          value={body}
          onChange={(event) => change(event.target.value)}
          onKeyDown={(event) => {
            // Enter sends; Shift+Enter (and Enter while an IME composes a word) does not.
            if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              submit();
            }
          }}
          rows={1}
          maxLength={MESSAGE_MAX_LENGTH}
          placeholder="Write a message…"
          className="block field-sizing-content max-h-40 min-h-11 w-full resize-none rounded-xl border border-slate-300 bg-white px-3 py-2.5 text-base dark:border-slate-700 dark:bg-slate-950"
        />
        {error && (
          <p
            id="composer-error"
            role="alert"
            className="pt-1 text-xs text-red-700 dark:text-red-400"
          >
            {error}
          </p>
        )}
      </div>
      <button
        type="submit"
        disabled={disabled || body.trim() === ""}
        className="min-h-11 rounded-xl bg-accent-600 px-4 font-semibold text-white hover:bg-accent-700 disabled:opacity-50"
      >
        Send
      </button>
    </form>
  );
}
