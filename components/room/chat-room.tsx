"use client";
// The live room: header, conversation, composer and member list around one RoomConnection.
import Link from "next/link";
import { useCallback, useEffect } from "react";
import type { ChatMessage, Member } from "@/lib/chat-events";
import { rememberName } from "@/lib/client/remembered-name";
import { Composer } from "./composer";
import { MemberList } from "./member-list";
import { MentionAlertsToggle } from "./mention-alerts-toggle";
import { MessageList } from "./message-list";
import { NewMessageAnnouncer } from "./new-message-announcer";
import { RoomHeader } from "./room-header";
import { TypingIndicator } from "./typing-indicator";
import { useMentionNotifications } from "./use-mention-notifications";
import { useReadPosition } from "./use-read-position";
import { useRoomConnection } from "./use-room-connection";
import { useUnreadTitle } from "./use-unread-title";

interface Props {
  roomCode: string;
  self: Member;
  initialMessages: readonly ChatMessage[];
  hasOlder: boolean;
  initialMembers: readonly Member[];
}

export function ChatRoom({ roomCode, self, initialMessages, hasOlder, initialMembers }: Props) {
  const { snapshot, connection } = useRoomConnection(roomCode, self.userId, {
    messages: initialMessages,
    hasOlder,
    members: initialMembers,
  });
  const ended = snapshot.connection.status === "ended";
  const loadOlder = useCallback(() => void connection?.loadOlder(), [connection]);
  useUnreadTitle(snapshot.messages, self.userId);
  useReadPosition(connection, snapshot.messages, snapshot.connection.status);
  useMentionNotifications(snapshot.messages, self, roomCode);
  // The home form offers this name again even after the session is gone.
  useEffect(() => rememberName(self.name), [self.name]);

  const memberPanel = (
    <div className="space-y-6">
      <MemberList members={snapshot.members} selfId={self.userId} />
      <MentionAlertsToggle />
    </div>
  );

  return (
    <div className="flex h-dvh flex-col">
      <RoomHeader
        roomCode={roomCode}
        connection={snapshot.connection}
        memberCount={snapshot.members.length}
        memberPanel={memberPanel}
      />

      {ended && (
        <p
          role="alert"
          className="bg-red-50 px-4 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {snapshot.connection.status === "ended" && snapshot.connection.reason === "room-gone"
            ? "This room no longer exists."
            : "You are no longer in this room."}{" "}
          <Link href="/" className="font-semibold underline">
            Back to the start
          </Link>
        </p>
      )}

      <div className="flex min-h-0 flex-1">
        <main className="flex min-w-0 flex-1 flex-col">
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
          <TypingIndicator typers={snapshot.typing} />
          <Composer
            disabled={ended}
            // send() answers null when the message is queued: only a missing connection is an error.
            onSend={(body) =>
              connection ? connection.send(body) : "Still connecting. Try again in a moment."
            }
            onTyping={(typing) => connection?.setTyping(typing)}
          />
        </main>
        <aside className="hidden w-72 shrink-0 overflow-y-auto border-l border-slate-200 bg-white p-4 lg:block dark:border-slate-800 dark:bg-slate-900">
          {memberPanel}
        </aside>
      </div>
      <NewMessageAnnouncer messages={snapshot.messages} selfId={self.userId} />
    </div>
  );
}
