import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { cache } from "react";
import { JoinForm } from "@/components/home/join-form";
import { ChatRoom } from "@/components/room/chat-room";
import type { Member } from "@/lib/chat-events";
import { isRoomCode, normalizeRoomCode } from "@/lib/room-code";
import { getSession } from "@/lib/server/next-session";
import type { Room } from "@/lib/server/store/types";
import { roomPageData } from "@/lib/server/room-page-data";
import { getRuntime } from "@/lib/server/runtime";

interface Props {
  params: Promise<{ code: string }>;
}

/** Far longer than a code; what is shown and sent back of whatever the address held. */
const SHOWN_CODE_MAX = 32;

/**
 * What this visitor may learn at this address. Only a session that names the room leads to the
 * store: for everyone else the page is the same join form whether the room exists or not, so
 * the page says nothing a guesser could use; the rate-limited join action alone answers that.
 */
type RoomView =
  | { kind: "member"; code: string; member: Member; room: Room }
  | { kind: "gone"; code: string }
  | { kind: "stranger"; code: string; name: string };

const roomView = cache(async (param: string): Promise<RoomView> => {
  let raw = param;
  try {
    raw = decodeURIComponent(param);
  } catch {
    // Left as it came: the join action will say it is not a room code.
  }
  const code = normalizeRoomCode(raw).slice(0, SHOWN_CODE_MAX);
  const session = await getSession();
  if (isRoomCode(code) && session.userId && session.rooms?.includes(code)) {
    const { store } = getRuntime();
    const [member, room] = await Promise.all([
      store.getMember(code, session.userId),
      store.getRoom(code),
    ]);
    if (member && room) return { kind: "member", code, member, room };
    if (!room) return { kind: "gone", code };
  }
  return { kind: "stranger", code, name: session.name ?? "" };
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const view = await roomView((await params).code);
  const title = {
    member: view.kind === "member" && view.room.name ? view.room.name : `Room ${view.code}`,
    gone: "Room gone",
    stranger: "Join a room",
  }[view.kind];
  return { title: `${title} · Roomcode chat` };
}

export default async function RoomPage({ params }: Props) {
  const param = (await params).code;
  const view = await roomView(param);
  if (view.code !== param && isRoomCode(view.code)) redirect(`/r/${view.code}`);

  if (view.kind === "gone") return <RoomGone code={view.code} />;
  if (view.kind === "stranger") {
    // A shared link, opened by someone who has not joined (yet): ask for a name first.
    return (
      <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-6 px-5 py-10">
        <header className="space-y-2 text-center">
          <h1 className="text-2xl font-bold tracking-tight">
            Join room <span className="font-mono tracking-widest">{view.code}</span>
          </h1>
          <p className="text-slate-600 dark:text-slate-400">Choose the name others will see.</p>
        </header>
        <JoinForm defaultName={view.name} roomCode={view.code} />
      </main>
    );
  }

  const { store, config } = getRuntime();
  const data = await roomPageData(store, view.room, view.member);
  return (
    <ChatRoom
      key={view.code}
      roomCode={view.code}
      self={view.member}
      initialMessages={data.messages}
      hasOlder={data.hasOlder}
      initialMembers={data.members}
      initialMemberCount={data.memberCount}
      fileBytes={config.limits.fileBytes}
      initialRoom={{
        name: view.room.name,
        locked: view.room.locked,
        ownerId: view.room.ownerId,
        hasPassphrase: view.room.hasPassphrase,
      }}
    />
  );
}

function RoomGone({ code }: { code: string }) {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-4 px-5 text-center">
      <h1 className="text-2xl font-bold">
        Room <span className="font-mono tracking-widest">{code}</span> is gone.
      </h1>
      <p className="text-slate-600 dark:text-slate-400">
        It was removed with its messages: rooms nobody is in and nobody writes in expire after a
        quiet spell.
      </p>
      <Link href="/" className="font-semibold text-accent-600 underline dark:text-accent-100">
        Create or join another room
      </Link>
    </main>
  );
}
