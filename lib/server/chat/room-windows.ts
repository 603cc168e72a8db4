// Per-room windows for what a crowd does at once (arrivals, presence changes): in a quiet room
// the first item goes out at once; items within the window after it are held and go out together
// at its end. A hall of people scanning one QR code then costs a few broadcasts a second instead
// of one per person to everyone already there.

export interface RoomWindows<T> {
  add(roomCode: string, item: T): void;
  /** What the room holds now (empty when nothing is held). */
  held(roomCode: string): readonly T[];
  /** Sends what the room holds now; its window stays open. */
  release(roomCode: string): void;
  /** Sends everything held and stops the timers. */
  stop(): void;
}

interface Window<T> {
  held: T[];
  timer: NodeJS.Timeout;
}

export function createRoomWindows<T>(
  windowMs: number,
  send: (roomCode: string, items: T[]) => void,
): RoomWindows<T> {
  const open = new Map<string, Window<T>>();

  function startTimer(roomCode: string): NodeJS.Timeout {
    const timer = setTimeout(() => windowEnded(roomCode), windowMs);
    // A held item never keeps a process alive on its own; shutdown calls stop().
    timer.unref();
    return timer;
  }

  function windowEnded(roomCode: string): void {
    const window = open.get(roomCode);
    if (!window) return;
    if (window.held.length === 0) {
      open.delete(roomCode);
      return;
    }
    // Still busy: what was held goes now, and a new window holds what comes next.
    const items = window.held;
    window.held = [];
    window.timer = startTimer(roomCode);
    send(roomCode, items);
  }

  return {
    add(roomCode, item) {
      const window = open.get(roomCode);
      if (window) {
        window.held.push(item);
        return;
      }
      open.set(roomCode, { held: [], timer: startTimer(roomCode) });
      send(roomCode, [item]);
    },
    held(roomCode) {
      return open.get(roomCode)?.held ?? [];
    },
    release(roomCode) {
      const window = open.get(roomCode);
      if (!window || window.held.length === 0) return;
      const items = window.held;
      window.held = [];
      send(roomCode, items);
    },
    stop() {
      for (const [roomCode, window] of open) {
        clearTimeout(window.timer);
        if (window.held.length > 0) send(roomCode, window.held);
      }
      open.clear();
    },
  };
}
