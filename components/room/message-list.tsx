"use client";
// The conversation: day separators, consecutive messages of one author grouped, notices,
// the outbox at the end. How it scrolls lives in useConversationScroll.
import type { ChatMessage } from "@/lib/chat-events";
import type { ConnectionStatus, OutboxItem } from "@/lib/client/room-connection";
import {
  formatDay,
  formatFullDate,
  formatTime,
  isSameDay,
  noticeText,
} from "@/lib/client/message-format";
import { useHydrated } from "@/lib/client/use-hydrated";
import { MessageAttachments } from "./attachments";
import { MessageText } from "./message-text";
import { useConversationScroll } from "./use-conversation-scroll";

/** Consecutive messages of one author within this time share one header. */
const GROUP_WINDOW_MS = 5 * 60_000;

interface Props {
  messages: readonly ChatMessage[];
  outbox: readonly OutboxItem[];
  selfId: string;
  connection: ConnectionStatus;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
}

export function MessageList(props: Props) {
  const { messages, outbox, selfId, hasOlder, loadingOlder, onLoadOlder } = props;
  const { scroller, content, onScroll, jumpToNewest, unseen } = useConversationScroll({
    messages,
    outboxLength: outbox.length,
    selfId,
    hasOlder,
    loadingOlder,
    onLoadOlder,
  });

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scroller}
        onScroll={onScroll}
        // Inset: an outside focus ring would be cut off at the screen edges.
        className="h-full overflow-y-auto overscroll-contain px-4 py-3 focus-visible:-outline-offset-2"
        role="log"
        aria-label="Messages"
        aria-busy={loadingOlder}
        tabIndex={0}
      >
        <div ref={content}>
          {hasOlder ? (
            <p className="py-2 text-center text-xs text-slate-600 dark:text-slate-400">
              {loadingOlder ? "Loading earlier messages…" : "Scroll up for earlier messages"}
            </p>
          ) : (
            messages.length > 0 && (
              <p className="py-2 text-center text-xs text-slate-600 dark:text-slate-400">
                This is the beginning of the room.
              </p>
            )
          )}
          {messages.length === 0 && outbox.length === 0 && (
            <p className="py-10 text-center text-sm text-slate-600 dark:text-slate-400">
              No messages yet. Share the room code and say hello.
            </p>
          )}
          <ol className="space-y-1">
            {messages.map((message, index) => (
              <MessageRow
                key={message.seq}
                message={message}
                previous={messages[index - 1]}
                selfId={selfId}
              />
            ))}
          </ol>
          {outbox.length > 0 && (
            <ol className="mt-1 space-y-1" aria-label="Outbox">
              {outbox.map((item, index) => (
                <OutboxRow
                  key={item.clientId}
                  item={item}
                  // Messages go out in order: behind a held one, the rest wait their turn.
                  behindHeld={outbox.slice(0, index).some((earlier) => earlier.heldUntil)}
                  {...props}
                />
              ))}
            </ol>
          )}
        </div>
      </div>
      {unseen > 0 && (
        <button
          type="button"
          onClick={jumpToNewest}
          className="absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full bg-accent-600 px-4 py-1.5 text-sm font-semibold whitespace-nowrap text-white shadow-lg hover:bg-accent-700"
        >
          {unseen} new message{unseen === 1 ? "" : "s"} <span aria-hidden>↓</span>
        </button>
      )}
    </div>
  );
}

function LocalTime({ ms, prefix = "" }: { ms: number; prefix?: string }) {
  const hydrated = useHydrated();
  return (
    <time dateTime={new Date(ms).toISOString()} title={hydrated ? formatFullDate(ms) : undefined}>
      {hydrated ? `${prefix}${formatTime(ms)}` : ""}
    </time>
  );
}

function MessageRow({
  message,
  previous,
  selfId,
}: {
  message: ChatMessage;
  previous?: ChatMessage;
  selfId: string;
}) {
  const hydrated = useHydrated();
  const newDay = hydrated && (!previous || !isSameDay(previous.createdAt, message.createdAt));
  const separator = newDay && (
    <li className="flex items-center gap-3 py-3 text-xs font-medium text-slate-500 dark:text-slate-400">
      <span className="h-px flex-1 bg-slate-200 dark:bg-slate-800" />
      {formatDay(message.createdAt)}
      <span className="h-px flex-1 bg-slate-200 dark:bg-slate-800" />
    </li>
  );

  if (message.kind !== "text") {
    return (
      <>
        {separator}
        <li className="py-1 text-center text-xs text-slate-600 dark:text-slate-400">
          {noticeText(message)} <LocalTime ms={message.createdAt} prefix="· " />
        </li>
      </>
    );
  }

  const own = message.authorId === selfId;
  const continued =
    !newDay &&
    previous?.kind === "text" &&
    previous.authorId === message.authorId &&
    message.createdAt - previous.createdAt < GROUP_WINDOW_MS;

  return (
    <>
      {separator}
      <li
        className={`flex flex-col ${own ? "items-end" : "items-start"} ${continued ? "" : "pt-2"}`}
        data-seq={message.seq}
      >
        {!continued && (
          <p className="flex items-baseline gap-2 px-1 text-xs text-slate-600 dark:text-slate-400">
            <span className="font-semibold text-slate-800 dark:text-slate-200">
              {own ? "You" : message.authorName}
            </span>
            <LocalTime ms={message.createdAt} />
          </p>
        )}
        {message.body !== "" && (
          <div
            className={`max-w-[85%] rounded-2xl px-3 py-2 text-[15px] leading-snug sm:max-w-[70%] ${
              own
                ? // On the accent colour the usual accent focus ring would not show: white does.
                  "bg-accent-600 text-white [&_a:focus-visible]:outline-white"
                : "bg-white shadow-sm ring-1 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700"
            }`}
          >
            <MessageText body={message.body} />
          </div>
        )}
        {message.attachments && <MessageAttachments attachments={message.attachments} own={own} />}
      </li>
    </>
  );
}

function OutboxRow({
  item,
  behindHeld,
  connection,
  onRetry,
  onDiscard,
}: { item: OutboxItem; behindHeld: boolean } & Pick<
  Props,
  "connection" | "onRetry" | "onDiscard"
>) {
  const status = item.failure
    ? `Not sent: ${item.failure.error}`
    : connection.status !== "connected"
      ? "Waiting for connection…"
      : item.heldUntil
        ? "Sending too fast: it goes out by itself in a moment…"
        : behindHeld
          ? "Waiting its turn…"
          : "Sending…";
  return (
    <li className="flex flex-col items-end" data-outbox={item.failure ? "failed" : "pending"}>
      {/* Full colour, as once sent: a faded bubble would fail text contrast; the line below tells. */}
      {item.body !== "" && (
        <div className="max-w-[85%] rounded-2xl bg-accent-600 px-3 py-2 text-[15px] leading-snug text-white sm:max-w-[70%] [&_a:focus-visible]:outline-white">
          <MessageText body={item.body} />
        </div>
      )}
      {item.attachments && <MessageAttachments attachments={item.attachments} own />}
      <p
        className={`px-1 pt-0.5 text-xs ${item.failure ? "text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400"}`}
      >
        {status}
        {item.failure && (
          <>
            {" "}
            <button
              type="button"
              className="font-semibold underline"
              onClick={() => onRetry(item.clientId)}
            >
              Retry
            </button>{" "}
            <button
              type="button"
              className="font-semibold underline"
              onClick={() => onDiscard(item.clientId)}
            >
              Discard
            </button>
          </>
        )}
      </p>
    </li>
  );
}
