// "Alice is typing…": the node that holds the typer's socket owns the state and expires it,
// so a typer who vanishes stops showing as typing everywhere.
import { roomChannel, type ChatServer } from "./types";

export interface TypingTracker {
  update(roomCode: string, member: { userId: string; name: string }, typing: boolean): void;
  stop(): void;
}

export function createTypingTracker(io: ChatServer, ttlMs: number): TypingTracker {
  const active = new Map<string, NodeJS.Timeout>();

  function emit(roomCode: string, userId: string, name: string, typing: boolean): void {
    io.to(roomChannel(roomCode)).emit("typing", { userId, name, typing });
  }

  return {
    update(roomCode, { userId, name }, typing) {
      const key = `${roomCode}:${userId}`;
      const timer = active.get(key);
      clearTimeout(timer);
      if (!typing) {
        if (active.delete(key)) emit(roomCode, userId, name, false);
        return;
      }
      if (!timer) emit(roomCode, userId, name, true);
      active.set(
        key,
        setTimeout(() => {
          active.delete(key);
          emit(roomCode, userId, name, false);
        }, ttlMs),
      );
    },
    stop() {
      active.forEach((timer) => clearTimeout(timer));
      active.clear();
    },
  };
}
