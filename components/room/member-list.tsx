import { useId } from "react";
import type { Member } from "@/lib/chat-events";

export function MemberList({ members, selfId }: { members: readonly Member[]; selfId: string }) {
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
          </li>
        ))}
      </ul>
    </section>
  );
}
