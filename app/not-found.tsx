// Any address that is not a page. Rendered per request (connection()), so its scripts carry the
// request's CSP nonce: a prerendered 404 has none and the policy blocks every script of it.
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";

export const metadata: Metadata = { title: "Page not found · Roomcode chat" };

export default async function NotFound() {
  await connection();
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-4 px-5 text-center">
      <p className="font-mono text-sm font-semibold tracking-widest text-accent-600 dark:text-accent-100">
        404
      </p>
      <h1 className="text-2xl font-bold">There is no page at this address.</h1>
      <p className="text-slate-600 dark:text-slate-400">
        Rooms live at addresses like /r/K7QX2M. Check the link, or start from the home page.
      </p>
      <Link
        href="/"
        className="mx-auto rounded-lg bg-accent-600 px-4 py-2.5 font-semibold text-white hover:bg-accent-700"
      >
        Create or join a room
      </Link>
    </main>
  );
}
