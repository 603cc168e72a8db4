"use client";
// What a person saw counts as read: while the tab is in front, each new message (and coming back
// to the tab, and reconnecting) moves the read position the home page's unread counts start from.
import { useEffect } from "react";
import type { ChatMessage } from "@/lib/chat-events";
import type { ConnectionStatus, RoomConnection } from "@/lib/client/room-connection";
import { usePageHidden } from "@/lib/client/use-page-hidden";

export function useReadPosition(
  connection: RoomConnection | null,
  messages: readonly ChatMessage[],
  status: ConnectionStatus["status"],
): void {
  const hidden = usePageHidden();
  useEffect(() => {
    if (!hidden && status === "connected") connection?.markRead();
  }, [connection, messages, hidden, status]);
}
