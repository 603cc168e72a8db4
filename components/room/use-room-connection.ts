"use client";
// Binds a RoomConnection to React: one socket per mounted room, the browser's online/offline
// events, and the outbox kept in localStorage so a refresh loses nothing typed offline.
import { useEffect, useState, useSyncExternalStore } from "react";
import type { ChatMessage, Member, RoomState } from "@/lib/chat-events";
import type { RoomConnection, RoomSnapshot } from "@/lib/client/room-connection";

interface Initial {
  messages: readonly ChatMessage[];
  hasOlder: boolean;
  members: readonly Member[];
  memberCount: number;
  room: RoomState;
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
  const [connection, setConnection] = useState<RoomConnection | null>(null);

  useEffect(() => {
    let room: RoomConnection | undefined;
    let unmounted = false;
    const goOnline = () => room?.setOnline(true);
    const goOffline = () => room?.setOnline(false);
    // The socket client and the connection around it load after the server-rendered history is
    // on screen, keeping them out of the page's first-load JavaScript.
    void Promise.all([import("socket.io-client"), import("@/lib/client/room-connection")]).then(
      ([{ io }, { createRoomConnection }]) => {
        if (unmounted) return;
        room = createRoomConnection({
          // WebSocket first: no long-polling round trips, and one connection per tab on the server.
          socket: io({
            // The session may hold several rooms: the socket serves this page's.
            auth: { roomCode },
            autoConnect: false,
            transports: ["websocket", "polling"],
            tryAllTransports: true,
            reconnectionDelayMax: 5000,
          }),
          userId,
          initial: serverSnapshot,
          storage: window.localStorage,
          storageKey: `roomcode.outbox.${roomCode}.${userId}`,
        });
        window.addEventListener("online", goOnline);
        window.addEventListener("offline", goOffline);
        room.setOnline(navigator.onLine);
        setConnection(room);
      },
    );
    return () => {
      unmounted = true;
      window.removeEventListener("online", goOnline);
      window.removeEventListener("offline", goOffline);
      room?.close();
    };
  }, [roomCode, userId, serverSnapshot]);

  const snapshot = useSyncExternalStore(
    connection?.subscribe ?? noSubscription,
    connection?.getSnapshot ?? (() => serverSnapshot),
    () => serverSnapshot,
  );
  return { snapshot, connection };
}
