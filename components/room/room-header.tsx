// The room's top bar: its code and connection, the ways to share it, the members, the way out.
// On a phone the share buttons take a second row under the code, members and "Leave room".
import { leaveRoom } from "@/app/actions";
import type { ConnectionStatus as Status } from "@/lib/client/room-connection";
import { ConnectionStatus } from "./connection-status";
import { CopyButton } from "./copy-button";
import { MemberDrawer } from "./member-drawer";
import { QrCodeButton } from "./qr-code-button";

const headerButton =
  "rounded-lg border border-slate-300 px-2.5 py-1.5 text-sm font-medium whitespace-nowrap hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";

export function RoomHeader({
  roomCode,
  roomName,
  locked,
  connection,
  memberCount,
  memberPanel,
}: {
  roomCode: string;
  /** Empty until the owner names the room. */
  roomName: string;
  locked: boolean;
  connection: Status;
  memberCount: number;
  /** What the side panel shows, for the drawer on small screens. */
  memberPanel: React.ReactNode;
}) {
  return (
    <header className="grid grid-cols-[1fr_auto_auto] items-center gap-x-2 gap-y-2.5 border-b border-slate-200 bg-white px-4 py-3 sm:grid-cols-[auto_1fr_auto_auto] sm:gap-x-3 dark:border-slate-800 dark:bg-slate-900">
      <div className="min-w-0 sm:mr-2">
        <div className="flex flex-wrap items-center gap-x-3">
          <h1 className="max-w-64 truncate text-xs font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400">
            {roomName || "Room"}
          </h1>
          {locked && (
            <span className="text-xs font-medium text-amber-700 dark:text-amber-400">Locked</span>
          )}
          <ConnectionStatus connection={connection} />
        </div>
        <p className="font-mono text-2xl font-bold tracking-[0.2em]">
          {/* Screen readers spell the code out letter by letter; an aria-label on a <p> is ignored. */}
          <span aria-hidden>{roomCode}</span>
          <span className="sr-only">Room code {roomCode.split("").join(" ")}</span>
        </p>
      </div>
      <div className="col-span-3 flex flex-wrap items-center gap-2 sm:col-span-1 sm:col-start-2 sm:row-start-1">
        <CopyButton className={headerButton} label="Copy code" text={() => roomCode} />
        <CopyButton
          className={headerButton}
          label="Copy link"
          text={() => `${window.location.origin}/r/${roomCode}`}
        />
        <QrCodeButton className={headerButton} roomCode={roomCode} />
      </div>
      <div className="col-start-2 row-start-1 sm:col-start-3 lg:hidden">
        <MemberDrawer className={headerButton} memberCount={memberCount}>
          {memberPanel}
        </MemberDrawer>
      </div>
      <form action={leaveRoom} className="col-start-3 row-start-1 sm:col-start-4">
        <input type="hidden" name="code" value={roomCode} />
        <button type="submit" className={`${headerButton} text-red-700 dark:text-red-400`}>
          Leave room
        </button>
      </form>
    </header>
  );
}
