"use client";
// What a text message shows around its body: the quote it replies to (a button that jumps to the
// original), its reactions (toggles, with who reacted), and whether it was edited.
import { useState } from "react";
import { QUOTE_EXCERPT_LENGTH, type ChatMessage, type Reaction } from "@/lib/chat-events";
import { formatFullDate, plainExcerpt } from "@/lib/client/message-format";
import { useHydrated } from "@/lib/client/use-hydrated";
import { quoteOf } from "@/lib/message-relations";
import { useMessageActions } from "./message-actions-context";

export function ReplyQuote({ message, own }: { message: ChatMessage; own: boolean }) {
  const actions = useMessageActions();
  const replyTo = message.replyTo;
  if (replyTo === undefined) return null;
  // The original as loaded now (a later edit or delete shows); else the quote it came with.
  const original = actions?.find(replyTo);
  const quote = original ? quoteOf(original, QUOTE_EXCERPT_LENGTH) : message.quote;
  if (!quote) return null;
  const text = quote.deleted ? "Message deleted" : plainExcerpt(quote.excerpt, 80);
  return (
    <button
      type="button"
      onClick={() => actions?.jumpTo(replyTo)}
      aria-label={`Reply to ${quote.authorName}: ${text}. Show the original`}
      className={`mb-1 block max-w-full truncate rounded-lg border-l-4 px-2 py-1 text-left text-xs ${
        own
          ? "border-white/70 bg-white/15 text-white"
          : "border-accent-500 bg-slate-100 text-slate-700 dark:bg-slate-900 dark:text-slate-300"
      }`}
      data-reply-quote
    >
      <span className="font-semibold">{quote.authorName}</span>{" "}
      <span className={quote.deleted ? "italic" : undefined}>{text}</span>
    </button>
  );
}

export function EditedMark({ editedAt }: { editedAt: number }) {
  const hydrated = useHydrated();
  return (
    <span
      className="ml-1 text-xs opacity-75"
      title={hydrated ? `Edited ${formatFullDate(editedAt)}` : undefined}
    >
      (edited)
    </span>
  );
}

function names(reaction: Reaction, selfId: string | undefined): string {
  return reaction.by.map((member) => (member.userId === selfId ? "you" : member.name)).join(", ");
}

export function Reactions({ message }: { message: ChatMessage }) {
  const actions = useMessageActions();
  const [error, setError] = useState<string | null>(null);
  /** The chip whose names are shown (a long press on a touch screen, where there is no hover). */
  const [shown, setShown] = useState<string | null>(null);
  if (!message.reactions?.length) return null;
  const selfId = actions?.selfId;
  return (
    <div className="flex max-w-full flex-wrap gap-1 px-1 pt-1" data-reactions>
      {message.reactions.map((reaction) => {
        const mine = reaction.by.some((member) => member.userId === selfId);
        const who = names(reaction, selfId);
        return (
          <button
            key={reaction.emoji}
            type="button"
            aria-pressed={mine}
            aria-label={`${reaction.emoji} ${reaction.by.length}: ${who}`}
            title={who}
            disabled={!actions?.enabled}
            onContextMenu={(event) => {
              event.preventDefault();
              setShown(shown === reaction.emoji ? null : reaction.emoji);
            }}
            onClick={async () =>
              setError((await actions?.react(message.seq, reaction.emoji, !mine)) ?? null)
            }
            className={`inline-flex min-h-7 items-center gap-1 rounded-full px-2 text-sm ring-1 ${
              mine
                ? "bg-accent-100 ring-accent-500 dark:bg-slate-700 dark:ring-accent-500"
                : "bg-white ring-slate-300 dark:bg-slate-800 dark:ring-slate-600"
            }`}
          >
            <span aria-hidden>{reaction.emoji}</span>
            <span className="tabular-nums" aria-hidden>
              {reaction.by.length}
            </span>
          </button>
        );
      })}
      {shown && (
        <p className="w-full text-xs text-slate-600 dark:text-slate-400" role="status">
          {shown}{" "}
          {names(
            message.reactions.find((reaction) => reaction.emoji === shown) ?? {
              emoji: shown,
              by: [],
            },
            selfId,
          )}
        </p>
      )}
      {error && (
        <p className="w-full text-xs text-red-700 dark:text-red-400" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
