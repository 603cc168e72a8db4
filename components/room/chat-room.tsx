"use client";
// The live room: header, conversation, composer and member list around one RoomConnection.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  isRelation,
  type ChatMessage,
  type Member,
  type OwnerAction,
  type RoomState,
} from "@/lib/chat-events";
import { indexOfSeq } from "@/lib/client/message-timeline";
import type { MessageAction, RoomConnection } from "@/lib/client/room-connection";
import { rememberName } from "@/lib/client/remembered-name";
import { isPreviewable, RoomFilesContext } from "./attachments";
import { Composer, type ComposerTarget } from "./composer";
import { MessageActionsContext, type MessageActions } from "./message-actions-context";
import { CopyButton } from "./copy-button";
import type { ViewedImage } from "./image-viewer";
import { MemberList } from "./member-list";
import { MessageList } from "./message-list";
import { NewMessageAnnouncer } from "./new-message-announcer";
import { QrCodeButton } from "./qr-code-button";
import { RoomHeader } from "./room-header";
import { TypingIndicator } from "./typing-indicator";
import { useMentionNotifications } from "./use-mention-notifications";
import { useReadPosition } from "./use-read-position";
import { useRoomConnection } from "./use-room-connection";
import { useFirstUnread } from "./use-first-unread";
import { useUnreadTitle } from "./use-unread-title";
import { useUploadDraft } from "./use-upload-draft";

// Not needed for the first paint of a room: loaded after it, keeping the first load small.
const MentionAlertsToggle = lazy(() =>
  import("./mention-alerts-toggle").then((module) => ({ default: module.MentionAlertsToggle })),
);
// Only the owner sees these, after first paint like everything an owner rarely uses.
const OwnerControls = lazy(() =>
  import("./owner-controls").then((module) => ({ default: module.OwnerControls })),
);
// The viewer loads when a photo is first opened, keeping it out of the page's first load.
const ImageViewer = lazy(() =>
  import("./image-viewer").then((module) => ({ default: module.ImageViewer })),
);

interface Props {
  roomCode: string;
  self: Member;
  initialMessages: readonly ChatMessage[];
  hasOlder: boolean;
  /** Some of those online (a crowd's list comes whole over the socket), and how many there are. */
  initialMembers: readonly Member[];
  initialMemberCount: number;
  /** The server's limit on one file, checked here before uploading. */
  fileBytes: number;
  initialRoom: RoomState;
}

export function ChatRoom({
  roomCode,
  self,
  initialMessages,
  hasOlder,
  initialMembers,
  initialMemberCount,
  fileBytes,
  initialRoom,
}: Props) {
  const { snapshot, connection } = useRoomConnection(roomCode, self.userId, {
    messages: initialMessages,
    hasOlder,
    members: initialMembers,
    memberCount: initialMemberCount,
    room: initialRoom,
  });
  const router = useRouter();
  const endedBy = snapshot.connection.status === "ended" ? snapshot.connection.reason : null;
  // Removed or deleted: back to the start, whose list says what happened to this room.
  useEffect(() => {
    if (endedBy === "removed" || endedBy === "deleted") router.replace("/");
  }, [endedBy, router]);
  const room = snapshot.room;
  useRoomTitle(room.name, roomCode);
  const isOwner = room.ownerId === self.userId;
  // One answer line for the panel and the member list's remove and hand-over buttons alike.
  const [ownerError, setOwnerError] = useState<string | null>(null);
  const runOwnerAction = useCallback(
    async (action: OwnerAction) => {
      const result = connection
        ? await connection.ownerAction(action)
        : { ok: false as const, error: "Still connecting. Try again in a moment." };
      setOwnerError(result.ok ? null : result.error);
    },
    [connection],
  );
  const ended = snapshot.connection.status === "ended";
  const loadOlder = useCallback(() => void connection?.loadOlder(), [connection]);
  // Relation events change other messages and are not lines of their own.
  const messages = useMemo(
    () => snapshot.messages.filter((message) => !isRelation(message)),
    [snapshot.messages],
  );
  useUnreadTitle(messages, self);
  const firstUnread = useFirstUnread(roomCode, self.userId, messages);
  useReadPosition(connection, snapshot.messages, snapshot.connection.status);
  useMentionNotifications(messages, self, roomCode);
  const [target, setTarget] = useState<ComposerTarget | null>(null);
  const messageActions = useMessageActionHandlers(
    connection,
    snapshot.messages,
    self,
    !ended,
    setTarget,
  );
  const lastOwn = messages.findLast(
    (message) =>
      message.authorId === self.userId &&
      message.kind === "text" &&
      !message.deleted &&
      message.body !== "",
  );
  // The home form offers this name again even after the session is gone.
  useEffect(() => rememberName(self.name), [self.name]);
  const { draft, uploads } = useUploadDraft(roomCode, fileBytes);
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const images = useMemo<ViewedImage[]>(
    () =>
      messages.flatMap((message) =>
        (message.attachments ?? []).filter(isPreviewable).map((file) => ({ roomCode, file })),
      ),
    [messages, roomCode],
  );
  const [viewing, setViewing] = useState<number | null>(null);
  const roomFiles = useMemo(
    () => ({
      roomCode,
      openImage: (fileId: string) => {
        const index = images.findIndex((image) => image.file.id === fileId);
        if (index >= 0) setViewing(index);
      },
    }),
    [roomCode, images],
  );
  const hasFiles = (event: React.DragEvent) => event.dataTransfer.types.includes("Files");

  const memberPanel = ended ? (
    // Who was here is no longer known to an ended session: no stale list.
    <p className="text-sm text-slate-600 dark:text-slate-400">No member list outside the room.</p>
  ) : (
    <div className="space-y-6">
      <MemberList
        members={snapshot.members}
        count={snapshot.memberCount}
        selfId={self.userId}
        ownerId={room.ownerId}
        run={isOwner && !ended ? runOwnerAction : undefined}
      />
      {isOwner && !ended && (
        <Suspense>
          <OwnerControls room={room} run={runOwnerAction} error={ownerError} />
        </Suspense>
      )}
      <Suspense>
        <MentionAlertsToggle />
      </Suspense>
    </div>
  );

  return (
    <div className="flex h-dvh flex-col">
      <RoomHeader
        roomCode={roomCode}
        roomName={room.name}
        locked={room.locked}
        connection={snapshot.connection}
        memberCount={snapshot.memberCount}
        memberPanel={memberPanel}
        ended={ended}
      />

      {ended && (
        <EndedBanner
          message={
            endedBy === "room-gone" || endedBy === "deleted"
              ? "This room no longer exists."
              : endedBy === "removed"
                ? "The owner removed you from this room."
                : "You are no longer in this room."
          }
        />
      )}
      {(snapshot.connection.status === "offline" ||
        snapshot.connection.status === "reconnecting") && (
        <p className="bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          {snapshot.connection.status === "offline"
            ? "You are offline."
            : "The connection to the room was lost; reconnecting."}{" "}
          What you write waits here and goes out once the connection is back.
        </p>
      )}

      <div className="flex min-h-0 flex-1">
        <main
          className="relative flex min-w-0 flex-1 flex-col"
          onDragOver={(event) => {
            if (ended || !hasFiles(event)) return;
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={(event) => {
            if (!event.currentTarget.contains(event.relatedTarget as Node | null))
              setDragging(false);
          }}
          onDrop={(event) => {
            if (!hasFiles(event)) return;
            event.preventDefault();
            setDragging(false);
            if (!ended) setFileError(draft.add([...event.dataTransfer.files]));
          }}
        >
          {dragging && (
            <div className="pointer-events-none absolute inset-2 z-10 flex items-center justify-center rounded-2xl border-2 border-dashed border-accent-500 bg-white/85 text-lg font-semibold text-accent-700 dark:bg-slate-950/85 dark:text-accent-100">
              Drop files to attach them
            </div>
          )}
          <RoomFilesContext value={roomFiles}>
            <MessageActionsContext value={messageActions}>
              <MessageList
                messages={messages}
                outbox={snapshot.outbox}
                selfId={self.userId}
                selfName={self.name}
                firstUnread={firstUnread}
                invite={<InvitePanel roomCode={roomCode} />}
                connection={snapshot.connection}
                hasOlder={snapshot.hasOlder}
                loadingOlder={snapshot.loadingOlder}
                onLoadOlder={loadOlder}
                onRetry={(clientId) => connection?.retry(clientId)}
                onDiscard={(clientId) => connection?.discard(clientId)}
              />
            </MessageActionsContext>
          </RoomFilesContext>
          <TypingIndicator typers={snapshot.typing} />
          <Composer
            disabled={ended}
            // send() answers null when the message is queued: only a missing connection is an error.
            onSend={(body, files, replyTo) =>
              connection
                ? connection.send(body, files, replyTo)
                : "Still connecting. Try again in a moment."
            }
            target={target}
            onTarget={setTarget}
            onEdit={messageActions.saveEdit}
            lastOwn={lastOwn}
            onTyping={(typing) => connection?.setTyping(typing)}
            draft={draft}
            uploads={uploads}
            fileError={fileError}
            onFileError={setFileError}
          />
        </main>
        <aside className="hidden w-72 shrink-0 overflow-y-auto border-l border-slate-200 bg-white p-4 lg:block dark:border-slate-800 dark:bg-slate-900">
          {memberPanel}
        </aside>
      </div>
      <NewMessageAnnouncer messages={messages} selfId={self.userId} />
      {viewing !== null && (
        <Suspense>
          <ImageViewer
            images={images}
            current={viewing}
            onShow={setViewing}
            onClose={() => setViewing(null)}
          />
        </Suspense>
      )}
    </div>
  );
}

/** The tab says the room's name once it has one, keeping an unread count in front of it. */
function useRoomTitle(name: string, roomCode: string): void {
  useEffect(() => {
    const count = /^\(\d+\) /.exec(document.title)?.[0] ?? "";
    document.title = `${count}${name || `Room ${roomCode}`} · Roomcode chat`;
  }, [name, roomCode]);
}

/** The one way on from an ended room, focused so a keyboard or screen reader finds it at once. */
function EndedBanner({ message }: { message: string }) {
  const way = useRef<HTMLAnchorElement>(null);
  useEffect(() => way.current?.focus(), []);
  return (
    <p
      role="alert"
      className="flex flex-wrap items-center gap-x-3 gap-y-2 bg-red-50 px-4 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
    >
      {message} What was said stays readable here until you go.
      <Link
        ref={way}
        href="/"
        className="rounded-lg bg-red-700 px-3 py-1.5 font-semibold text-white hover:bg-red-800"
      >
        Back to the start
      </Link>
    </p>
  );
}

/** A room with nothing said yet: the code and the ways to share it, right where people look. */
function InvitePanel({ roomCode }: { roomCode: string }) {
  const button =
    "rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800";
  return (
    <section
      aria-label="Invite people"
      className="mx-auto my-8 max-w-sm space-y-3 rounded-2xl border border-dashed border-slate-300 p-5 text-center dark:border-slate-700"
    >
      <h2 className="font-semibold">Invite people to this room</h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Share the code <span className="font-mono font-bold tracking-widest">{roomCode}</span>, the
        link, or let them scan the QR code.
      </p>
      <div className="flex justify-center gap-2">
        <CopyButton
          className={button}
          label="Copy link"
          text={() => `${window.location.origin}/r/${roomCode}`}
        />
        <QrCodeButton className={button} roomCode={roomCode} />
      </div>
    </section>
  );
}

/** The room's answers to a message's actions, over its connection. */
function useMessageActionHandlers(
  connection: RoomConnection | null,
  messages: readonly ChatMessage[],
  self: Member,
  enabled: boolean,
  setTarget: (target: ComposerTarget | null) => void,
): MessageActions & { saveEdit: (seq: number, body: string) => Promise<string | null> } {
  return useMemo(() => {
    async function run(action: MessageAction): Promise<string | null> {
      if (!connection) return "Still connecting. Try again in a moment.";
      const result = await connection.messageAction(action);
      return result.ok ? null : result.error;
    }
    return {
      selfId: self.userId,
      enabled,
      find: (seq) => messages[indexOfSeq(messages, seq)],
      reply: (message) => setTarget({ kind: "reply", message }),
      edit: (message) => setTarget({ kind: "edit", message }),
      saveEdit: (seq, body) => run({ type: "edit", seq, body }),
      remove: (seq) => run({ type: "delete", seq }),
      react: (seq, emoji, on) => run({ type: "react", seq, emoji, on }),
      // The message list puts its own in place: it knows what is on the page.
      jumpTo: () => undefined,
    };
  }, [connection, messages, self.userId, enabled, setTarget]);
}
