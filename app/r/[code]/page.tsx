import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { HomeForm } from "@/components/home/home-form";
import { ChatRoom } from "@/components/room/chat-room";
import { HISTORY_PAGE_SIZE } from "@/lib/chat-events";
import { isRoomCode, normalizeRoomCode } from "@/lib/room-code";
import { getSession } from "@/lib/server/next-session";
import { getRuntime } from "@/lib/server/runtime";

interface Props {
  params: Promise<{ code: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Room ${normalizeRoomCode((await params).code)} · Roomcode chat` };
}

export default async function RoomPage({ params }: Props) {
  const raw = decodeURIComponent((await params).code);
  const code = normalizeRoomCode(raw);
  if (code !== raw && isRoomCode(code)) redirect(`/r/${code}`);

  const { store, config } = getRuntime();
  const room = isRoomCode(code) ? await store.getRoom(code) : null;
  if (!room) return <RoomMissing />;

  const session = await getSession();
  const member =
    session.userId && session.rooms?.includes(code)
      ? await store.getMember(code, session.userId)
      : null;

  if (!member) {
    // A shared link, opened by someone who has not joined (yet): ask for a name first.
    return (
      <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-6 px-5 py-10">
        <header className="space-y-2 text-center">
          <h1 className="text-2xl font-bold tracking-tight">
            Join room <span className="font-mono tracking-widest">{code}</span>
          </h1>
          <p className="text-slate-600 dark:text-slate-400">Choose the name others will see.</p>
        </header>
        <HomeForm defaultName={session.name ?? ""} roomCode={code} />
      </main>
    );
  }

  // One extra row says whether there is anything older to scroll back to.
  const latest = await store.latestMessages(code, HISTORY_PAGE_SIZE + 1);
  const hasOlder = latest.length > HISTORY_PAGE_SIZE;
  return (
    <ChatRoom
      key={code}
      roomCode={code}
      self={member}
      initialMessages={hasOlder ? latest.slice(1) : latest}
      hasOlder={hasOlder}
      initialMembers={await store.presentMembers(code)}
      fileBytes={config.limits.fileBytes}
    />
  );
}

function RoomMissing() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-4 px-5 text-center">
      <h1 className="text-2xl font-bold">Room does not exist.</h1>
      <p className="text-slate-600 dark:text-slate-400">
        It may have expired after a long quiet spell, or the code is mistyped.
      </p>
      <Link href="/" className="font-semibold text-accent-600 underline dark:text-accent-100">
        Create or join another room
      </Link>
    </main>
  );
}
