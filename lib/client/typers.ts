// Who else is typing: set by the room's typing events, forgotten by itself when a "stopped" never
// comes (the typer's node died).
import { TYPING_FALLBACK_MS, type Member } from "@/lib/chat-events";

export interface Typers {
  set(member: Member, typing: boolean): void;
  close(): void;
}

export function createTypers(onChange: (typers: readonly Member[]) => void): Typers {
  let typers: readonly Member[] = [];
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  function set(member: Member, typing: boolean): void {
    clearTimeout(timers.get(member.userId));
    timers.delete(member.userId);
    const others = typers.filter((typer) => typer.userId !== member.userId);
    if (typing) {
      timers.set(
        member.userId,
        setTimeout(() => set(member, false), TYPING_FALLBACK_MS),
      );
      typers = [...others, member];
      onChange(typers);
    } else if (others.length !== typers.length) {
      typers = others;
      onChange(typers);
    }
  }

  return {
    set,
    close() {
      timers.forEach((timer) => clearTimeout(timer));
      timers.clear();
    },
  };
}
