/** The reader's name where someone wrote it, in plain and formatted bodies alike. */
export function MentionMark({ children }: { children: React.ReactNode }) {
  return (
    <mark className="rounded bg-amber-200 px-0.5 font-semibold text-inherit dark:bg-amber-700/70">
      {children}
    </mark>
  );
}
