// The one ordered path for everything that gets a sequence number (messages and notices alike):
// appends made within one turn of the event loop are stored in one transaction, then broadcast
// in the order the store numbered them, then answered. A broadcast can never overtake an earlier
// one from another code path, and a busy room costs one commit per turn, not one per message.
import type { AppendResult, ChatStore, NewMessage } from "../store/types";
import { roomChannel, type ChatServer } from "./types";

export interface MessageLog {
  /**
   * Stores the message and broadcasts it to its room; resolves once both are done. Callers keep
   * their own in-flight count (shutdown waits for it), which covers the time spent queued here.
   */
  append(message: NewMessage): Promise<AppendResult | null>;
}

interface Pending {
  message: NewMessage;
  resolve: (result: AppendResult | null) => void;
  reject: (error: unknown) => void;
}

/** Appends per transaction: bounds how long one commit holds the event loop. */
const MAX_BATCH = 256;

export function createMessageLog(io: ChatServer, store: ChatStore): MessageLog {
  const queue: Pending[] = [];
  /** One batch at a time: the next waits for the store to answer the last. */
  let writing = false;

  function schedule(): void {
    if (writing || queue.length === 0) return;
    writing = true;
    setImmediate(() => void write());
  }

  async function write(): Promise<void> {
    const batch = queue.splice(0, MAX_BATCH);
    try {
      const results = await store.appendMessages(batch.map((pending) => pending.message));
      batch.forEach((pending, index) => {
        const result = results[index] ?? null;
        // A retry of a stored message was broadcast the first time; its sender gets the copy.
        if (result && !result.duplicate)
          io.to(roomChannel(pending.message.roomCode)).emit("message", result.message);
        pending.resolve(result);
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      writing = false;
      schedule();
    }
  }

  return {
    append(message) {
      return new Promise((resolve, reject) => {
        queue.push({ message, resolve, reject });
        schedule();
      });
    },
  };
}
