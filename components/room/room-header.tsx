// The room's top bar: its code and connection, the ways to share it, the members, the way out.
// On a phone the share buttons give way to one "Invite" button, so the bar is one row.
import { lazy, Suspense } from "react";
import type { ConnectionStatus as Status } from "@/lib/client/room-connection";
import { ConnectionStatus } from "./connection-status";
import { CopyButton } from "./copy-button";
import { MemberDrawer } from "./member-drawer";
import { QrCodeButton } from "./qr-code-button";

// Its confirmation dialog is not needed for the first paint: loaded right after it.
const LeaveButton = lazy(() =>
  import("./leave-button").then((module) => ({ default: module.LeaveButton })),
);

const headerButton =
  "disabled:cursor-not-allowed disabled:opacity-50 rounded-lg border border-slate-300 px-2.5 py-1.5 text-sm font-medium whitespace-nowrap hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";

export function RoomHeader({
  roomCode,
  roomName,
  locked,
  connection,
  memberCount,
  memberPanel,
  ended,
}: {
  roomCode: string;
  /** Empty until the owner names the room. */
  roomName: string;
  locked: boolean;
  /** The session ended: everything here is frozen; the page's banner is the way back. */
  ended: boolean;
  connection: Status;
  memberCount: number;
  /** What the side panel shows, for the drawer on small screens. */
  memberPanel: React.ReactNode;
}) {
  return (
    <header className="grid grid-cols-[1fr_auto_auto] items-center gap-x-2 gap-y-2.5 max-sm:py-2 border-b border-slate-200 bg-white px-4 py-3 sm:grid-cols-[auto_1fr_auto_auto] sm:gap-x-3 dark:border-slate-800 dark:bg-slate-900">
      <div className="min-w-0 sm:mr-2">
        <div className="flex flex-wrap items-center gap-x-3">
          <h1 className="max-w-64 truncate text-xs font-medium uppercase tracking-wide text-slate-600 max-sm:sr-only dark:text-slate-400">
            {roomName || "Room"}
          </h1>
          {locked && (
            <span className="text-xs font-medium text-amber-700 dark:text-amber-400">Locked</span>
          )}
          <ConnectionStatus connection={connection} />
        </div>
        <p className="font-mono text-xl font-bold tracking-[0.2em] sm:text-2xl">
          {/* Screen readers spell the code out letter by letter; an aria-label on a <p> is ignored. */}
          <span aria-hidden>{roomCode}</span>
          <span className="sr-only">Room code {roomCode.split("").join(" ")}</span>
        </p>
      </div>
      {/* On a phone one "Invite" button (the QR dialog, with both copy buttons) keeps it one row. */}
      <div className="flex flex-wrap items-center gap-2 max-sm:hidden sm:col-start-2 sm:row-start-1">
        <CopyButton
          className={headerButton}
          disabled={ended}
          label="Copy code"
          text={() => roomCode}
        />
        <CopyButton
          className={headerButton}
          disabled={ended}
          label="Copy link"
          text={() => `${window.location.origin}/r/${roomCode}`}
        />
        <QrCodeButton className={headerButton} roomCode={roomCode} disabled={ended} />
      </div>
      <div className="col-start-2 row-start-1 flex gap-2 sm:col-start-3 lg:hidden">
        <QrCodeButton
          className={`${headerButton} sm:hidden`}
          roomCode={roomCode}
          disabled={ended}
          label="Invite"
        />
        <MemberDrawer className={headerButton} memberCount={memberCount} disabled={ended}>
          {memberPanel}
        </MemberDrawer>
      </div>
      <div className="col-start-3 row-start-1 sm:col-start-4">
        <Suspense fallback={<span className={headerButton}>Leave room</span>}>
          <LeaveButton className={headerButton} roomCode={roomCode} disabled={ended} />
        </Suspense>
      </div>
    </header>
  );
}
