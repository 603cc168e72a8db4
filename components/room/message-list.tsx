"use client";
// The conversation: day separators, consecutive messages of one author grouped, runs of join/leave
// notices as one line, a "New messages" line where the reader left off, the outbox at the end. How it scrolls lives in useConversationScroll.
import { Fragment, lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ChatMessage } from "@/lib/chat-events";
import type { ConnectionStatus, OutboxItem } from "@/lib/client/room-connection";
import {
  formatDay,
  formatFullDate,
  formatTime,
  isSameDay,
  noticeText,
} from "@/lib/client/message-format";
import { groupNotices, summarizeNotices } from "@/lib/client/notice-runs";
import { mentions } from "@/lib/client/unread";
import { useHydrated } from "@/lib/client/use-hydrated";
import { MessageAttachments } from "./attachments";
import { MessageActionsContext, useMessageActions } from "./message-actions-context";
import { EditedMark, Reactions, ReplyQuote } from "./message-extras";
import { MessageText } from "./message-text";
import { useConversationScroll } from "./use-conversation-scroll";
import { useJumpToUnread } from "./use-jump-to-unread";

const MessageMenu = lazy(() =>
  import("./message-menu").then((module) => ({ default: module.MessageMenu })),
);

/** How long a touch must rest on a message to open its actions. */
const LONG_PRESS_MS = 500;
/** How long a message jumped to stays highlighted. */
const HIGHLIGHT_MS = 2000;

/** Consecutive messages of one author within this time share one header. */
const GROUP_WINDOW_MS = 5 * 60_000;

interface Props {
  messages: readonly ChatMessage[];
  outbox: readonly OutboxItem[];
  selfId: string;
  /** Messages naming this person are highlighted. */
  selfName: string;
  connection: ConnectionStatus;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
  /** Where the "New messages" line goes: the first unread message from others. */
  firstUnread: number | null;
  /** Shown while nothing has been said yet. */
  invite: React.ReactNode;
}

export function MessageList(props: Props) {
  const { messages, outbox, selfId, hasOlder, loadingOlder, onLoadOlder, firstUnread, invite } =
    props;
  const { onPage, showFrom, scroller, content, onScroll, jumpToNewest, unseen } =
    useConversationScroll({
      messages,
      outboxLength: outbox.length,
      selfId,
      hasOlder,
      loadingOlder,
      onLoadOlder,
    });
  const unread = useJumpToUnread(firstUnread, showFrom);
  const { highlighted, seek } = useJumpToMessage({ ...props, onPage, showFrom });
  const actions = useMessageActions();
  const withJump = useMemo(() => actions && { ...actions, jumpTo: seek }, [actions, seek]);
  const entries = groupNotices(onPage);
  const earlierOffPage = onPage.length < messages.length;

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
        <MessageActionsContext value={withJump}>
          <div ref={content}>
            {hasOlder || earlierOffPage ? (
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
            {outbox.length === 0 && !messages.some((message) => message.kind === "text") && invite}
            <ol className="space-y-1">
              {entries.map((entry, index) => {
                const first = entry.kind === "message" ? entry.message : entry.notices[0]!;
                const previous = entries[index - 1];
                const previousMessage =
                  previous?.kind === "message" ? previous.message : previous?.notices.at(-1);
                const divider = first.seq === firstUnread && (
                  <li
                    ref={unread.divider}
                    id="first-unread"
                    className="flex items-center gap-3 py-2 text-xs font-semibold text-red-700 dark:text-red-400"
                  >
                    <span className="h-px flex-1 bg-red-300 dark:bg-red-800" />
                    New messages
                    <span className="h-px flex-1 bg-red-300 dark:bg-red-800" />
                  </li>
                );
                return entry.kind === "message" ? (
                  <Fragment key={first.seq}>
                    {divider}
                    <MessageRow
                      message={entry.message}
                      previous={previousMessage}
                      selfId={selfId}
                      selfName={props.selfName}
                      highlighted={highlighted === entry.message.seq}
                    />
                  </Fragment>
                ) : (
                  <Fragment key={first.seq}>
                    {divider}
                    <NoticeRow notices={entry.notices} previous={previousMessage} />
                  </Fragment>
                );
              })}
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
        </MessageActionsContext>
      </div>
      {unread.offScreen && (
        <button
          type="button"
          onClick={unread.jump}
          className="absolute top-3 left-1/2 -translate-x-1/2 rounded-full bg-white px-4 py-1.5 text-sm font-semibold whitespace-nowrap text-red-700 shadow-lg ring-1 ring-red-200 hover:bg-red-50 dark:bg-slate-900 dark:text-red-300 dark:ring-red-900"
        >
          <span aria-hidden>↑</span> Jump to first unread
        </button>
      )}
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

/**
 * Jumping to a message a reply quotes: loads older pages until it is held, puts it on the page,
 * scrolls to it and highlights it for a moment.
 */
function useJumpToMessage({
  messages,
  onPage,
  showFrom,
  hasOlder,
  loadingOlder,
  onLoadOlder,
}: {
  messages: readonly ChatMessage[];
  onPage: readonly ChatMessage[];
  showFrom: (seq: number) => void;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
}) {
  const [seeking, setSeeking] = useState<number | null>(null);
  const [highlighted, setHighlighted] = useState<number | null>(null);

  useEffect(() => {
    if (seeking === null) return;
    const row = document.querySelector<HTMLElement>(`li[data-seq="${seeking}"]`);
    if (row) {
      row.scrollIntoView({ block: "center" });
      row.focus({ preventScroll: true });
      /* eslint-disable react-hooks/set-state-in-effect */
      setHighlighted(seeking);
      setSeeking(null);
      /* eslint-enable react-hooks/set-state-in-effect */
    } else if (messages.some((message) => message.seq === seeking)) showFrom(seeking);
    else if (hasOlder && !loadingOlder) onLoadOlder();
    else if (!hasOlder) setSeeking(null);
  }, [seeking, messages, onPage, showFrom, hasOlder, loadingOlder, onLoadOlder]);

  useEffect(() => {
    if (highlighted === null) return;
    const timer = setTimeout(() => setHighlighted(null), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlighted]);

  const seek = useCallback((seq: number) => setSeeking(seq), []);
  return { highlighted, seek };
}

function DaySeparator({ ms }: { ms: number }) {
  return (
    <li className="flex items-center gap-3 py-3 text-xs font-medium text-slate-500 dark:text-slate-400">
      <span className="h-px flex-1 bg-slate-200 dark:bg-slate-800" />
      {formatDay(ms)}
      <span className="h-px flex-1 bg-slate-200 dark:bg-slate-800" />
    </li>
  );
}

/** A run of join/leave notices as one line; the full list (names, times) is its tooltip. */
function NoticeRow({
  notices,
  previous,
}: {
  notices: readonly ChatMessage[];
  previous?: ChatMessage;
}) {
  const hydrated = useHydrated();
  const first = notices[0]!;
  const last = notices.at(-1)!;
  const newDay = hydrated && (!previous || !isSameDay(previous.createdAt, first.createdAt));
  const detail = notices
    .map((notice) => `${noticeText(notice)}${hydrated ? ` · ${formatTime(notice.createdAt)}` : ""}`)
    .join("\n");
  return (
    <>
      {newDay && <DaySeparator ms={first.createdAt} />}
      <li
        className="py-1 text-center text-xs text-slate-600 dark:text-slate-400"
        data-notice-line
        title={notices.length > 1 ? detail : undefined}
      >
        {summarizeNotices(notices)} <LocalTime ms={last.createdAt} prefix="· " />
      </li>
    </>
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
  selfName,
  highlighted,
}: {
  message: ChatMessage;
  previous?: ChatMessage;
  selfId: string;
  selfName: string;
  highlighted: boolean;
}) {
  const hydrated = useHydrated();
  const newDay = hydrated && (!previous || !isSameDay(previous.createdAt, message.createdAt));
  const separator = newDay && <DaySeparator ms={message.createdAt} />;
  const menu = useMessageMenu(message);

  const own = message.authorId === selfId;
  const mentioned = !own && !message.deleted && mentions(message.body, selfName);
  const continued =
    !newDay &&
    previous?.kind === "text" &&
    previous.authorId === message.authorId &&
    message.createdAt - previous.createdAt < GROUP_WINDOW_MS;

  const bubble = message.deleted ? (
    <p
      className="rounded-2xl px-3 py-2 text-sm text-slate-600 italic ring-1 ring-slate-300 dark:text-slate-400 dark:ring-slate-700"
      data-deleted
    >
      Message deleted
    </p>
  ) : (
    (message.body !== "" || message.replyTo !== undefined) && (
      <div
        {...menu.pressHandlers}
        className={`max-w-[85vw] rounded-2xl px-3 py-2 text-[15px] leading-snug sm:max-w-[70%] ${
          own
            ? // On the accent colour the usual accent focus ring would not show: white does.
              "bg-accent-600 text-white [&_a:focus-visible]:outline-white"
            : mentioned
              ? "bg-amber-50 shadow-sm ring-2 ring-amber-400 dark:bg-amber-950 dark:ring-amber-500"
              : "bg-white shadow-sm ring-1 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700"
        }`}
      >
        <ReplyQuote message={message} own={own} />
        {mentioned && <span className="sr-only">Mentions you: </span>}
        {message.body !== "" && (
          <MessageText body={message.body} mentionOf={own ? undefined : selfName} />
        )}
        {message.editedAt !== undefined && <EditedMark editedAt={message.editedAt} />}
      </div>
    )
  );
  const files = !message.deleted && message.attachments && (
    <MessageAttachments attachments={message.attachments} own={own} />
  );

  return (
    <>
      {separator}
      <li
        className={`group relative flex flex-col rounded-lg ${own ? "items-end" : "items-start"} ${continued ? "" : "pt-2"} ${highlighted ? "bg-amber-100 dark:bg-amber-900/40" : ""}`}
        data-seq={message.seq}
        data-mention={mentioned || undefined}
        data-highlighted={highlighted || undefined}
        tabIndex={-1}
      >
        {!continued && (
          <p className="flex items-baseline gap-2 px-1 text-xs text-slate-600 dark:text-slate-400">
            <span className="font-semibold text-slate-800 dark:text-slate-200">
              {own ? "You" : message.authorName}
            </span>
            <LocalTime ms={message.createdAt} />
          </p>
        )}
        {/* A message of files alone keeps its actions button beside them, not on an empty line. */}
        <div className={`flex w-full items-start gap-1 ${own ? "flex-row-reverse" : ""}`}>
          {bubble || files}
          {menu.button}
        </div>
        {bubble && files}
        {!message.deleted && <Reactions message={message} />}
        {menu.panel}
      </li>
    </>
  );
}

/**
 * A message's actions: a focusable "Message actions" button (shown on hover or focus with a
 * mouse, always on touch screens), a long press or right click on the message, and the menu.
 */
function useMessageMenu(message: ChatMessage) {
  const actions = useMessageActions();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const press = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const close = useCallback(() => {
    setOpen(false);
    button.current?.focus({ preventScroll: true });
  }, []);
  const available = Boolean(actions?.enabled) && !message.deleted;
  const cancelPress = () => clearTimeout(press.current);
  return {
    pressHandlers: available
      ? {
          onContextMenu: (event: React.MouseEvent) => {
            event.preventDefault();
            setOpen(true);
          },
          onTouchStart: () => {
            press.current = setTimeout(() => setOpen(true), LONG_PRESS_MS);
          },
          onTouchEnd: cancelPress,
          onTouchMove: cancelPress,
        }
      : {},
    button: available && (
      <button
        ref={button}
        type="button"
        aria-label="Message actions"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        className="flex size-8 shrink-0 items-center justify-center rounded-full text-lg text-slate-600 hover:bg-slate-200 focus-visible:opacity-100 aria-expanded:opacity-100 pointer-fine:opacity-0 pointer-fine:group-hover:opacity-100 dark:text-slate-400 dark:hover:bg-slate-800"
      >
        <span aria-hidden>⋯</span>
      </button>
    ),
    panel: open && actions && (
      <Suspense>
        <MessageMenu message={message} actions={actions} onClose={close} />
      </Suspense>
    ),
  };
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
