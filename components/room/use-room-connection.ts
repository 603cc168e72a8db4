"use client";
// Binds a RoomConnection to React: one socket per mounted room, the browser's online/offline
// events, and the outbox kept in localStorage so a refresh loses nothing typed offline.
import { useEffect, useState, useSyncExternalStore } from "react";
import { io } from "socket.io-client";
import type { ChatMessage, Member } from "@/lib/chat-events";
import {
  createRoomConnection,
  type RoomConnection,
  type RoomSnapshot,
} from "@/lib/client/room-connection";

interface Initial {
  messages: readonly ChatMessage[];
  hasOlder: boolean;
  members: readonly Member[];
}

const noSubscription = () => () => {};

export function useRoomConnection(
  roomCode: string,
  userId: string,
  initial: Initial,
): { snapshot: RoomSnapshot; connection: RoomConnection | null } {
  const [serverSnapshot] = useState<RoomSnapshot>(() => ({
    ...initial,
    outbox: [],
    typing: [],
    connection: { status: "connecting" },
    loadingOlder: false,
  }));
  // Made once per mounted room, in the browser only; the socket connects in the effect below.
  const [connection] = useState<RoomConnection | null>(() =>
    typeof window === "undefined"
      ? null
      : createRoomConnection({
          // WebSocket first: no long-polling round trips, and one connection per tab on the server.
          socket: io({
            autoConnect: false,
            transports: ["websocket", "polling"],
            tryAllTransports: true,
            reconnectionDelayMax: 5000,
          }),
          userId,
          initial,
          storage: window.localStorage,
          storageKey: `roomcode.outbox.${roomCode}.${userId}`,
        }),
  );

  useEffect(() => {
    if (!connection) return;
    const goOnline = () => connection.setOnline(true);
    const goOffline = () => connection.setOnline(false);
    window.addEventListener("online", goOnline);
    window.addEventListener("offline", goOffline);
    connection.setOnline(navigator.onLine);
    return () => {
      window.removeEventListener("online", goOnline);
      window.removeEventListener("offline", goOffline);
      connection.setOnline(false);
    };
  }, [connection]);

  const snapshot = useSyncExternalStore(
    connection?.subscribe ?? noSubscription,
    connection?.getSnapshot ?? (() => serverSnapshot),
    () => serverSnapshot,
  );
  return { snapshot, connection };
}
