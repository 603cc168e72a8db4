import type { ConnectionStatus as Status } from "@/lib/client/room-connection";

const LABELS: Record<Status["status"], string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  offline: "Offline",
  ended: "Disconnected",
};

const DOT: Record<Status["status"], string> = {
  connecting: "bg-amber-400",
  connected: "bg-emerald-500",
  reconnecting: "bg-amber-400 animate-pulse",
  offline: "bg-slate-400",
  ended: "bg-red-500",
};

export function ConnectionStatus({ connection }: { connection: Status }) {
  const label =
    connection.status === "reconnecting" && connection.attempt > 0
      ? `Reconnecting (attempt ${connection.attempt})…`
      : LABELS[connection.status];
  return (
    <p
      role="status"
      // A fixed width: "Reconnecting (attempt 3)…" must not push the buttons beside it.
      className="flex w-44 items-center gap-1.5 truncate text-xs text-slate-600 dark:text-slate-400"
    >
      <span aria-hidden className={`inline-block size-2 rounded-full ${DOT[connection.status]}`} />
      {label}
    </p>
  );
}
