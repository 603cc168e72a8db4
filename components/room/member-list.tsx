import { useId, useState } from "react";
import type { Member } from "@/lib/chat-events";
import { ConfirmDialog } from "./confirm-dialog";
import type { RunOwnerAction } from "./owner-controls";

type Asking = { type: "remove" | "hand-over"; member: Member } | null;

/** What the owner is asked before each per-member action, and what it means. */
function question(asking: NonNullable<Asking>) {
  const name = asking.member.name;
  return asking.type === "remove"
    ? {
        question: `Remove ${name}?`,
        explanation: `${name}'s tabs of this room close at once. They cannot join it again from this browser, nor from their network for a while.`,
        confirmLabel: "Remove",
      }
    : {
        question: `Make ${name} the owner?`,
        explanation: `${name} gets the owner's controls and you become a member. Only ${name} can give them back.`,
        confirmLabel: "Make owner",
      };
}

const smallButton =
  "rounded border border-slate-300 px-1.5 py-1 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";

export function MemberList({
  members,
  count,
  selfId,
  ownerId,
  run,
}: {
  members: readonly Member[];
  /** How many are online; more than `members` while only the page's first names are known. */
  count: number;
  selfId: string;
  ownerId: string | null;
  /** Given only to the owner: their remove and hand-over buttons. */
  run?: RunOwnerAction;
}) {
  // The list is in the page twice on small screens (side panel and drawer): ids must differ.
  const headingId = useId();
  const [asking, setAsking] = useState<Asking>(null);
  const asked = asking && question(asking);
  return (
    <section aria-labelledby={headingId} className="space-y-2">
      <h2
        id={headingId}
        className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400"
      >
        In the room ({count})
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
                {/* The visible words start the accessible name (WCAG 2.5.3); the name follows. */}
                <button
                  type="button"
                  aria-haspopup="dialog"
                  className={smallButton}
                  onClick={() => setAsking({ type: "hand-over", member })}
                >
                  Make owner<span className="sr-only"> {member.name}</span>
                </button>
                <button
                  type="button"
                  aria-haspopup="dialog"
                  className={`${smallButton} text-red-700 dark:text-red-400`}
                  onClick={() => setAsking({ type: "remove", member })}
                >
                  Remove<span className="sr-only"> {member.name}</span>
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {count > members.length && (
        <p className="text-xs text-slate-600 dark:text-slate-400">
          and {count - members.length} more
        </p>
      )}
      {run && (
        <ConfirmDialog
          question={asked?.question ?? null}
          explanation={asked?.explanation ?? ""}
          confirmLabel={asked?.confirmLabel ?? ""}
          onConfirm={() => asking && void run({ type: asking.type, userId: asking.member.userId })}
          onClose={() => setAsking(null)}
        />
      )}
    </section>
  );
}
