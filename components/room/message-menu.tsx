"use client";
// A message's actions, loaded on first use: react (a palette of common emoji or any one emoji),
// reply, and for your own messages edit and delete (which asks first). Escape closes it and
// hands focus back to the button that opened it.
import { useEffect, useRef, useState } from "react";
import { COMMON_REACTIONS, type ChatMessage } from "@/lib/chat-events";
import { isOneEmoji } from "@/lib/text-rules";
import type { MessageActions } from "./message-actions-context";

const ITEM =
  "block w-full rounded-lg px-3 py-2 text-left text-sm hover:bg-slate-100 focus-visible:bg-slate-100 dark:hover:bg-slate-800 dark:focus-visible:bg-slate-800";

export function MessageMenu({
  message,
  actions,
  onClose,
}: {
  message: ChatMessage;
  actions: MessageActions;
  onClose: () => void;
}) {
  const panel = useRef<HTMLDivElement>(null);
  const [confirming, setConfirming] = useState(false);
  const [emoji, setEmoji] = useState("");
  const [error, setError] = useState<string | null>(null);
  const own = message.authorId === actions.selfId;
  const mine = (candidate: string) =>
    message.reactions?.some(
      (reaction) =>
        reaction.emoji === candidate &&
        reaction.by.some((member) => member.userId === actions.selfId),
    ) ?? false;

  useEffect(() => {
    // Under the newest message it would open below the fold of the conversation.
    panel.current?.scrollIntoView({ block: "nearest" });
    panel.current?.querySelector<HTMLElement>("button")?.focus({ preventScroll: true });
    function away(event: PointerEvent) {
      if (!panel.current?.contains(event.target as Node)) onClose();
    }
    document.addEventListener("pointerdown", away);
    return () => document.removeEventListener("pointerdown", away);
  }, [onClose]);

  async function react(candidate: string) {
    const problem = await actions.react(message.seq, candidate, !mine(candidate));
    if (problem) setError(problem);
    else onClose();
  }

  return (
    <div
      ref={panel}
      role="dialog"
      aria-label="Message actions"
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.stopPropagation();
          onClose();
        }
      }}
      className="absolute top-full z-20 mt-1 w-64 max-w-[calc(100vw-2rem)] rounded-xl bg-white p-2 text-slate-900 shadow-xl ring-1 ring-slate-200 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700"
    >
      {confirming ? (
        <div className="space-y-2 p-1">
          <p className="text-sm">Delete this message for everyone?</p>
          <div className="flex gap-2">
            <button
              type="button"
              className="rounded-lg bg-red-700 px-3 py-2 text-sm font-semibold text-white hover:bg-red-800"
              onClick={async () => {
                const problem = await actions.remove(message.seq);
                if (problem) setError(problem);
                else onClose();
              }}
            >
              Delete
            </button>
            <button type="button" className={ITEM + " w-auto"} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <>
          <div className="flex flex-wrap gap-1 pb-1" role="group" aria-label="React">
            {COMMON_REACTIONS.map((candidate) => (
              <button
                key={candidate}
                type="button"
                aria-label={`React with ${candidate}`}
                aria-pressed={mine(candidate)}
                onClick={() => void react(candidate)}
                className="size-9 rounded-lg text-xl hover:bg-slate-100 aria-pressed:bg-accent-100 dark:hover:bg-slate-800 dark:aria-pressed:bg-slate-700"
              >
                {candidate}
              </button>
            ))}
          </div>
          <form
            className="flex gap-1 pb-1"
            onSubmit={(event) => {
              event.preventDefault();
              const candidate = emoji.trim();
              if (!isOneEmoji(candidate)) setError("Type or paste one emoji.");
              else void react(candidate);
            }}
          >
            <input
              aria-label="Any emoji"
              placeholder="Any emoji"
              value={emoji}
              onChange={(event) => setEmoji(event.target.value)}
              className="min-w-0 flex-1 rounded-lg border border-slate-300 bg-white px-2 py-1 text-base dark:border-slate-700 dark:bg-slate-950"
            />
            <button type="submit" className="rounded-lg px-2 text-sm font-semibold">
              Add
            </button>
          </form>
          <button
            type="button"
            className={ITEM}
            onClick={() => {
              actions.reply(message);
              onClose();
            }}
          >
            Reply
          </button>
          {own && (
            <>
              {message.body !== "" && (
                <button
                  type="button"
                  className={ITEM}
                  onClick={() => {
                    actions.edit(message);
                    onClose();
                  }}
                >
                  Edit
                </button>
              )}
              <button
                type="button"
                className={`${ITEM} text-red-700 dark:text-red-400`}
                onClick={() => setConfirming(true)}
              >
                Delete
              </button>
            </>
          )}
        </>
      )}
      {error && (
        <p className="px-1 pt-1 text-xs text-red-700 dark:text-red-400" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
