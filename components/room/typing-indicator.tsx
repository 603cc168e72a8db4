import type { Member } from "@/lib/chat-events";

export function typingSentence(typers: readonly Member[]): string {
  const names = typers.map((typer) => typer.name);
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} more are typing…`;
}

export function TypingIndicator({ typers }: { typers: readonly Member[] }) {
  // A fixed height keeps the composer from jumping when someone starts typing.
  return (
    <p className="h-5 truncate px-4 text-xs italic text-slate-600 dark:text-slate-400">
      {typingSentence(typers)}
    </p>
  );
}
