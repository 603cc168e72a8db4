"use client";
// The live room: header, conversation, composer and member list around one RoomConnection.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { ChatMessage, Member, OwnerAction, RoomState } from "@/lib/chat-events";
import { rememberName } from "@/lib/client/remembered-name";
import { isPreviewable, RoomFilesContext } from "./attachments";
import { Composer } from "./composer";
import { ImageViewer, type ViewedImage } from "./image-viewer";
import { MemberList } from "./member-list";
import { MentionAlertsToggle } from "./mention-alerts-toggle";
import { MessageList } from "./message-list";
import { NewMessageAnnouncer } from "./new-message-announcer";
import { OwnerControls } from "./owner-controls";
import { RoomHeader } from "./room-header";
import { TypingIndicator } from "./typing-indicator";
import { useMentionNotifications } from "./use-mention-notifications";
import { useReadPosition } from "./use-read-position";
import { useRoomConnection } from "./use-room-connection";
import { useUnreadTitle } from "./use-unread-title";
import { useUploadDraft } from "./use-upload-draft";

interface Props {
  roomCode: string;
  self: Member;
  initialMessages: readonly ChatMessage[];
  hasOlder: boolean;
  initialMembers: readonly Member[];
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
  fileBytes,
  initialRoom,
}: Props) {
  const { snapshot, connection } = useRoomConnection(roomCode, self.userId, {
    messages: initialMessages,
    hasOlder,
    members: initialMembers,
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
  const runOwnerAction = useCallback(
    async (action: OwnerAction) => {
      if (!connection) return "Still connecting. Try again in a moment.";
      const result = await connection.ownerAction(action);
      return result.ok ? null : result.error;
    },
    [connection],
  );
  const ended = snapshot.connection.status === "ended";
  const loadOlder = useCallback(() => void connection?.loadOlder(), [connection]);
  useUnreadTitle(snapshot.messages, self.userId);
  useReadPosition(connection, snapshot.messages, snapshot.connection.status);
  useMentionNotifications(snapshot.messages, self, roomCode);
  // The home form offers this name again even after the session is gone.
  useEffect(() => rememberName(self.name), [self.name]);
  const { draft, uploads } = useUploadDraft(roomCode, fileBytes);
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const images = useMemo<ViewedImage[]>(
    () =>
      snapshot.messages.flatMap((message) =>
        (message.attachments ?? []).filter(isPreviewable).map((file) => ({ roomCode, file })),
      ),
    [snapshot.messages, roomCode],
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

  const memberPanel = (
    <div className="space-y-6">
      <MemberList
        members={snapshot.members}
        selfId={self.userId}
        ownerId={room.ownerId}
        run={isOwner && !ended ? runOwnerAction : undefined}
      />
      {isOwner && !ended && <OwnerControls room={room} run={runOwnerAction} />}
      <MentionAlertsToggle />
    </div>
  );

  return (
    <div className="flex h-dvh flex-col">
      <RoomHeader
        roomCode={roomCode}
        roomName={room.name}
        locked={room.locked}
        connection={snapshot.connection}
        memberCount={snapshot.members.length}
        memberPanel={memberPanel}
      />

      {ended && (
        <p
          role="alert"
          className="bg-red-50 px-4 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {endedBy === "room-gone" || endedBy === "deleted"
            ? "This room no longer exists."
            : endedBy === "removed"
              ? "The owner removed you from this room."
              : "You are no longer in this room."}{" "}
          <Link href="/" className="font-semibold underline">
            Back to the start
          </Link>
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
            <MessageList
              messages={snapshot.messages}
              outbox={snapshot.outbox}
              selfId={self.userId}
              connection={snapshot.connection}
              hasOlder={snapshot.hasOlder}
              loadingOlder={snapshot.loadingOlder}
              onLoadOlder={loadOlder}
              onRetry={(clientId) => connection?.retry(clientId)}
              onDiscard={(clientId) => connection?.discard(clientId)}
            />
          </RoomFilesContext>
          <TypingIndicator typers={snapshot.typing} />
          <Composer
            disabled={ended}
            // send() answers null when the message is queued: only a missing connection is an error.
            onSend={(body, files) =>
              connection ? connection.send(body, files) : "Still connecting. Try again in a moment."
            }
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
      <NewMessageAnnouncer messages={snapshot.messages} selfId={self.userId} />
      <ImageViewer
        images={images}
        current={viewing}
        onShow={setViewing}
        onClose={() => setViewing(null)}
      />
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
