// "Alice is typing…": the node that holds the typer's socket owns the state and expires it,
// so a typer who vanishes stops showing as typing everywhere. Changes are coalesced: a person's
// state is relayed at most once per interval, so a flood of toggles costs a field write each
// and at most one timer per person, and the room hears only the state it settles on.
import { roomChannel, type ChatServer } from "./types";

export interface TypingTracker {
  update(roomCode: string, member: { userId: string; name: string }, typing: boolean): void;
  stop(): void;
}

interface Typer {
  roomCode: string;
  userId: string;
  name: string;
  /** What the client last said, and what the room last heard. */
  wanted: boolean;
  relayed: boolean;
  lastRelayAt: number;
  lastTypingAt: number;
  timer?: NodeJS.Timeout;
  timerDue: number;
}

export function createTypingTracker(
  io: ChatServer,
  options: { ttlMs: number; relaysPerSecond: number; now?: () => number },
): TypingTracker {
  const { ttlMs, now = Date.now } = options;
  const intervalMs = 1000 / options.relaysPerSecond;
  const typers = new Map<string, Typer>();

  /** When this typer needs attention next: a pending change, or the expiry of "typing". */
  function dueAt(typer: Typer): number | null {
    if (typer.wanted !== typer.relayed) return typer.lastRelayAt + intervalMs;
    if (typer.relayed) return typer.lastTypingAt + ttlMs;
    return null;
  }

  function settle(key: string, typer: Typer): void {
    const time = now();
    if (typer.wanted && time - typer.lastTypingAt >= ttlMs) typer.wanted = false;
    if (typer.wanted !== typer.relayed && time >= typer.lastRelayAt + intervalMs) {
      typer.relayed = typer.wanted;
      typer.lastRelayAt = time;
      const { userId, name, relayed } = typer;
      io.to(roomChannel(typer.roomCode)).emit("typing", { userId, name, typing: relayed });
    }
    schedule(key, typer);
  }

  function schedule(key: string, typer: Typer): void {
    let due = dueAt(typer);
    if (due === null) {
      // Idle: forgotten once a new change could be relayed at once anyway.
      if (now() >= typer.lastRelayAt + intervalMs) {
        clearTimeout(typer.timer);
        typers.delete(key);
        return;
      }
      due = typer.lastRelayAt + intervalMs;
    }
    // An earlier timer already covers it: a flood leaves the one timer alone.
    if (typer.timer && typer.timerDue <= due) return;
    clearTimeout(typer.timer);
    typer.timerDue = due;
    typer.timer = setTimeout(
      () => {
        typer.timer = undefined;
        settle(key, typer);
      },
      Math.max(0, due - now()),
    );
  }

  return {
    update(roomCode, { userId, name }, typing) {
      const key = `${roomCode}:${userId}`;
      let typer = typers.get(key);
      if (!typer) {
        if (!typing) return;
        typer = {
          roomCode,
          userId,
          name,
          wanted: false,
          relayed: false,
          lastRelayAt: -Infinity,
          lastTypingAt: 0,
          timerDue: Infinity,
        };
        typers.set(key, typer);
      }
      typer.name = name;
      typer.wanted = typing;
      if (typing) typer.lastTypingAt = now();
      if (typer.wanted !== typer.relayed && now() >= typer.lastRelayAt + intervalMs)
        settle(key, typer);
      else schedule(key, typer);
    },
    stop() {
      typers.forEach((typer) => clearTimeout(typer.timer));
      typers.clear();
    },
  };
}
