"use client";
// A page that failed to render: say so plainly, offer another try and the way home. The way home
// is a plain link: after an error a full page load is the surer start, and next/link would add
// its router code to every page's first load, since this boundary ships with the root layout.

export default function ErrorPage({
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-4 px-5 text-center">
      <h1 className="text-2xl font-bold">Something went wrong on our side.</h1>
      <p className="text-slate-600 dark:text-slate-400">
        The page could not be shown. Your messages are safe: whatever the server acknowledged is
        stored, and anything still in your outbox is sent when the room is back.
      </p>
      <div className="flex justify-center gap-3">
        <button
          type="button"
          onClick={reset}
          className="rounded-lg bg-accent-600 px-4 py-2.5 font-semibold text-white hover:bg-accent-700"
        >
          Try again
        </button>
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a full load, on purpose */}
        <a
          href="/"
          className="rounded-lg border border-slate-300 px-4 py-2.5 font-semibold hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Home
        </a>
      </div>
    </main>
  );
}
