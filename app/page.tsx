import Link from "next/link";
import { HomeForm } from "@/components/home/home-form";
import { getSession } from "@/lib/server/next-session";

export default async function HomePage() {
  const session = await getSession();
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-8 px-5 py-10">
      <header className="space-y-2 text-center">
        <h1 className="text-3xl font-bold tracking-tight">Roomcode chat</h1>
        <p className="text-slate-600 dark:text-slate-400">
          Private chat rooms for your group: create one, share its code, talk in real time.
        </p>
      </header>
      <HomeForm defaultName={session.name ?? ""} />
      {session.roomCode && (
        <p className="text-center text-sm text-slate-600 dark:text-slate-400">
          You are still in room{" "}
          <Link
            className="font-mono font-semibold text-accent-600 underline dark:text-accent-100"
            href={`/r/${session.roomCode}`}
          >
            {session.roomCode}
          </Link>
          .
        </p>
      )}
    </main>
  );
}
