import { GoneRooms, type GoneRoom } from "@/components/home/gone-rooms";
import { HomeForm } from "@/components/home/home-form";
import { YourRooms } from "@/components/home/your-rooms";
import { getSession } from "@/lib/server/next-session";
import { getRuntime } from "@/lib/server/runtime";
import type { SessionData } from "@/lib/server/session";

export default async function HomePage() {
  const session = await getSession();
  const { rooms, gone, now } = await roomsOf(session);
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-8 px-5 py-10">
      <header className="space-y-2 text-center">
        <h1 className="text-3xl font-bold tracking-tight">Roomcode chat</h1>
        <p className="text-slate-600 dark:text-slate-400">
          Private chat rooms for your group: create one, share its code, talk in real time.
        </p>
      </header>
      <GoneRooms rooms={gone} />
      <YourRooms rooms={rooms} now={now} />
      <HomeForm defaultName={session.name ?? ""} />
    </main>
  );
}

/** The session's rooms still joined, and those gone since (expired, deleted, or removed from). */
async function roomsOf({ userId, rooms: codes = [] }: SessionData) {
  const { store } = getRuntime();
  const rooms = userId && codes.length ? await store.memberRooms(userId, codes) : [];
  const joined = new Set(rooms.map((room) => room.code));
  const gone: GoneRoom[] = await Promise.all(
    codes
      .filter((code) => !joined.has(code))
      .map(async (code) => ({ code, removed: (await store.getRoom(code)) !== null })),
  );
  return { rooms, gone, now: Date.now() };
}
