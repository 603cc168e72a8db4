"use client";
// Rooms this browser was in that expired or removed it: said once, then dropped from the session.
import { useEffect, useState } from "react";
import { forgetGoneRooms } from "@/app/actions";

export interface GoneRoom {
  code: string;
  /** The room still exists, so the member was removed (or left it from another tab). */
  removed: boolean;
}

export function GoneRooms({ rooms }: { rooms: readonly GoneRoom[] }) {
  // Kept in state: forgetting them refreshes the page, whose next render no longer lists them.
  const [shown] = useState(rooms);
  useEffect(() => {
    if (rooms.length > 0) void forgetGoneRooms();
  }, [rooms]);
  if (shown.length === 0) return null;
  return (
    <ul role="status" className="space-y-1 text-sm text-slate-700 dark:text-slate-300">
      {shown.map((room) => (
        <li key={room.code}>
          {room.removed ? "You are no longer a member of room " : "Room "}
          <span className="font-mono font-semibold">{room.code}</span>
          {room.removed ? "." : " no longer exists: it expired or its owner deleted it."}
        </li>
      ))}
    </ul>
  );
}
