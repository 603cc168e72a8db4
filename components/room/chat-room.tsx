"use client";
// The live room: header, conversation, composer and member list around one RoomConnection.
import Link from "next/link";
import { useCallback, useState } from "react";
import { leaveRoom } from "@/app/actions";
import type { ChatMessage, Member } from "@/lib/chat-events";
import { ConnectionStatus } from "./connection-status";
import { Composer } from "./composer";
import { CopyButton } from "./copy-button";
import { MemberList } from "./member-list";
import { MessageList } from "./message-list";
import { NewMessageAnnouncer } from "./new-message-announcer";
import { TypingIndicator } from "./typing-indicator";
import { useRoomConnection } from "./use-room-connection";

interface Props {
  roomCode: string;
  self: Member;
  initialMessages: readonly ChatMessage[];
  hasOlder: boolean;
  initialMembers: readonly Member[];
}

const headerButton =
  "rounded-lg border border-slate-300 px-2.5 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";

export function ChatRoom({ roomCode, self, initialMessages, hasOlder, initialMembers }: Props) {
  const { snapshot, connection } = useRoomConnection(roomCode, self.userId, {
    messages: initialMessages,
    hasOlder,
    members: initialMembers,
  });
  const [membersOpen, setMembersOpen] = useState(false);
  const ended = snapshot.connection.status === "ended";
  const loadOlder = useCallback(() => void connection?.loadOlder(), [connection]);

  return (
    <div className="flex h-dvh flex-col">
      <header className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-slate-200 bg-white px-4 py-3 dark:border-slate-800 dark:bg-slate-900">
        <div className="mr-auto">
          <h1 className="text-xs font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400">
            Room
          </h1>
          <p
            className="font-mono text-2xl font-bold tracking-[0.2em]"
            aria-label={`Room code ${roomCode.split("").join(" ")}`}
          >
            {roomCode}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <CopyButton className={headerButton} label="Copy code" text={() => roomCode} />
          <CopyButton
            className={headerButton}
            label="Copy link"
            text={() => `${window.location.origin}/r/${roomCode}`}
          />
          <button
            type="button"
            className={`${headerButton} lg:hidden`}
            aria-expanded={membersOpen}
            aria-controls="member-panel"
            onClick={() => setMembersOpen((open) => !open)}
          >
            Members ({snapshot.members.length})
          </button>
          <form action={leaveRoom}>
            <button type="submit" className={`${headerButton} text-red-700 dark:text-red-400`}>
              Leave room
            </button>
          </form>
        </div>
        <div className="w-full">
          <ConnectionStatus connection={snapshot.connection} />
        </div>
      </header>

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
            onSend={(body) => connection?.send(body) ?? "Still connecting. Try again in a moment."}
            onTyping={(typing) => connection?.setTyping(typing)}
          />
        </main>
        <aside
          id="member-panel"
          className={`${membersOpen ? "block" : "hidden"} absolute inset-y-0 right-0 z-10 w-64 overflow-y-auto border-l border-slate-200 bg-white p-4 shadow-xl lg:static lg:block lg:shadow-none dark:border-slate-800 dark:bg-slate-900`}
        >
          <MemberList members={snapshot.members} selfId={self.userId} />
        </aside>
      </div>
      <NewMessageAnnouncer messages={snapshot.messages} selfId={self.userId} />
    </div>
  );
}
