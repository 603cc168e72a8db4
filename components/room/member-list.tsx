import { useId } from "react";
import type { Member } from "@/lib/chat-events";
import type { RunOwnerAction } from "./owner-controls";

const smallButton =
  "rounded border border-slate-300 px-1.5 py-1 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";

export function MemberList({
  members,
  selfId,
  ownerId,
  run,
}: {
  members: readonly Member[];
  selfId: string;
  ownerId: string | null;
  /** Given only to the owner: their remove and hand-over buttons. */
  run?: RunOwnerAction;
}) {
  // The list is in the page twice on small screens (side panel and drawer): ids must differ.
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="space-y-2">
      <h2
        id={headingId}
        className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400"
      >
        In the room ({members.length})
      </h2>
      <ul className="space-y-1" aria-label="Members">
        {members.map((member) => (
          <li key={member.userId} className="flex items-center gap-2 truncate text-sm">
            <span
              aria-hidden
              className="inline-block size-2 shrink-0 rounded-full bg-emerald-500"
            />
            <span className="truncate">{member.name}</span>
            {member.userId === selfId && (
              <span className="text-xs text-slate-500 dark:text-slate-400">(you)</span>
            )}
            {member.userId === ownerId && (
              <span className="text-xs text-slate-500 dark:text-slate-400">(owner)</span>
            )}
            {run && member.userId !== selfId && (
              <span className="ml-auto flex gap-1">
                <button
                  type="button"
                  className={smallButton}
                  aria-label={`Make ${member.name} the owner`}
                  onClick={() => void run({ type: "hand-over", userId: member.userId })}
                >
                  Make owner
                </button>
                <button
                  type="button"
                  className={`${smallButton} text-red-700 dark:text-red-400`}
                  aria-label={`Remove ${member.name}`}
                  onClick={() => void run({ type: "remove", userId: member.userId })}
                >
                  Remove
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
