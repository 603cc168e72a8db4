// "Your rooms" on the home page: each room this browser is a member of, newest activity first,
// with its unread count and one click back in. Rendered on the server from the store.
import Link from "next/link";
import { UNREAD_COUNT_CAP, type MemberRoom } from "@/lib/chat-events";

export function YourRooms({ rooms, now }: { rooms: readonly MemberRoom[]; now: number }) {
  if (rooms.length === 0) return null;
  const newestFirst = [...rooms].sort((a, b) => (b.lastMessageAt ?? 0) - (a.lastMessageAt ?? 0));
  return (
    <section aria-labelledby="your-rooms" className="space-y-2">
      <h2 id="your-rooms" className="text-sm font-semibold text-slate-700 dark:text-slate-300">
        Your rooms
      </h2>
      <ul aria-labelledby="your-rooms" className="space-y-2">
        {newestFirst.map((room) => (
          <li key={room.code}>
            <Link
              href={`/r/${room.code}`}
              className="flex items-center gap-3 rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm hover:bg-slate-50 dark:border-slate-800 dark:bg-slate-900 dark:hover:bg-slate-800"
            >
              <span className="min-w-0 flex-1">
                <span className="block truncate font-semibold">
                  {room.name || <span className="font-mono tracking-widest">{room.code}</span>}
                </span>
                <span className="block text-xs text-slate-600 dark:text-slate-400">
                  {room.name && <span className="font-mono">{room.code} · </span>}
                  {room.lastMessageAt === null
                    ? "No messages yet"
                    : `Last activity ${timeAgo(room.lastMessageAt, now)}`}
                </span>
              </span>
              {room.unread > 0 && (
                <span className="rounded-full bg-accent-600 px-2 py-0.5 text-xs font-semibold text-white">
                  {room.unread >= UNREAD_COUNT_CAP ? `${UNREAD_COUNT_CAP - 1}+` : room.unread}
                  <span className="sr-only"> unread</span>
                </span>
              )}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function timeAgo(ms: number, now: number): string {
  const minutes = Math.floor((now - ms) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? "" : "s"} ago`;
}
