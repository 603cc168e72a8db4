// Whether the store can write. A write that fails for want of space or on a read-only disk marks
// the store unwritable: readiness turns red and senders are told why, until a write succeeds again.
import type { ChatStore } from "./types";

export type StorageProblem = "full" | "read-only";

/** Node, SQLite and PostgreSQL (SQLSTATE) codes for a full or read-only disk. */
const PROBLEM_CODES: Record<string, StorageProblem> = {
  ENOSPC: "full",
  EDQUOT: "full",
  SQLITE_FULL: "full",
  "53100": "full", // disk_full
  EROFS: "read-only",
  SQLITE_READONLY: "read-only",
  "25006": "read-only", // read_only_sql_transaction
};

export function storageProblem(error: unknown): StorageProblem | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return undefined;
  // SQLite's extended codes (SQLITE_READONLY_DBMOVED, …) name the primary code first.
  return PROBLEM_CODES[code] ?? PROBLEM_CODES[code.replace(/^(SQLITE_[A-Z]+)_.*$/, "$1")];
}

const PROBLEM_WORDS: Record<StorageProblem, string> = {
  full: "its disk is full",
  "read-only": "its storage is read-only",
};

/** What the sender of a message that could not be stored is told. */
export function storageMessage(problem: StorageProblem, what = "store messages"): string {
  return `The server cannot ${what} right now: ${PROBLEM_WORDS[problem]}.`;
}

/** The store's methods that write; a success of any of them shows the disk takes writes again. */
const WRITES = new Set<keyof ChatStore>([
  "createRoom",
  "appendMessage",
  "appendMessages",
  "addMember",
  "removeMember",
  "markPresent",
  "markAbsent",
  "markRead",
  "touchPresence",
  "deleteIdleRooms",
]);

export interface WatchedStore {
  store: ChatStore;
  /** For /readyz: rejects while the last write failed for want of space or a read-only disk. */
  writable(): Promise<void>;
}

export function watchWrites(inner: ChatStore): WatchedStore {
  let problem: StorageProblem | undefined;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      if (!WRITES.has(property as keyof ChatStore)) return method.bind(target);
      return async (...args: unknown[]) => {
        try {
          const result = await method.apply(target, args);
          problem = undefined;
          return result;
        } catch (error) {
          problem = storageProblem(error) ?? problem;
          throw error;
        }
      };
    },
  });
  return {
    store,
    async writable() {
      if (problem) throw new Error(`cannot write: ${PROBLEM_WORDS[problem]}`);
    },
  };
}
