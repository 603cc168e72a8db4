// The one ordered path per room for everything that gets a sequence number (messages and notices
// alike): appends made within one turn of the event loop are stored in one transaction, then
// broadcast in the order the store numbered them, then answered. A broadcast can never overtake
// an earlier one from another code path, and a busy room costs one commit per turn, not one per
// message. While a room's batch is at a networked store, other rooms' batches may go too.
// Arrivals and departures of a crowd are grouped: one notice per room and moment.
import { isRelation, type Member } from "@/lib/chat-events";
import { isRefused, type AppendAnswer, type ChatStore, type NewMessage } from "../store/types";
import { createRoomWindows } from "./room-windows";
import { roomChannel, type ChatServer } from "./types";

export interface MessageLog {
  /**
   * Stores the message and broadcasts it to its room; resolves once both are done. Callers keep
   * their own in-flight count (shutdown waits for it), which covers the time spent queued here.
   */
  append(message: NewMessage): Promise<AppendAnswer>;
  /**
   * Runs `step` (a store write that numbers its own notice, and its broadcast) once the room's
   * earlier appends are stored and broadcast, holding the room's later ones until it settles: an
   * owner's notice can neither overtake an earlier batch's broadcast nor be overtaken.
   */
  exclusive<T>(roomCode: string, step: () => Promise<T>): Promise<T>;
  /**
   * A joined or left notice. The first in a quiet room is stored at once; those within
   * `NOTICE_GROUP_MS` after it are held, and each run of one kind among them is stored as one
   * notice for all ("Ann and 41 others joined"). Resolves once stored. Any other notice or
   * exclusive step for the room, and a message (or edit, reply, reaction) from someone held,
   * stores what is held first: nobody's message comes before their arrival.
   */
  announce(arrival: Arrival): Promise<void>;
  /** Stores what is held now (shutdown). */
  stop(): void;
}

export interface Arrival {
  roomCode: string;
  kind: "joined" | "left";
  member: Member;
  createdAt: number;
}

interface HeldArrival extends Arrival {
  stored: () => void;
  failed: (error: unknown) => void;
}

type Pending =
  | {
      roomCode: string;
      message: NewMessage;
      resolve: (result: AppendAnswer) => void;
      reject: (error: unknown) => void;
    }
  | { roomCode: string; step: () => Promise<void> };
type PendingAppend = Extract<Pending, { message: NewMessage }>;

/** Appends per transaction: bounds how long one commit holds the event loop. */
const MAX_BATCH = 256;
/** A hall joining by QR code arrives within seconds: a notice a second reads as it happens. */
export const NOTICE_GROUP_MS = 1000;

export function createMessageLog(io: ChatServer, store: ChatStore): MessageLog {
  let queue: Pending[] = [];
  /** Rooms with a batch at the store: their next appends wait, so each room keeps one order. */
  const writing = new Set<string>();
  let scheduled = false;

  function schedule(): void {
    if (scheduled || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      flush();
    });
  }

  /** Sends what is queued for rooms not being written now as one batch; the rest waits. */
  function flush(): void {
    const batch: PendingAppend[] = [];
    const rooms = new Set<string>();
    const waiting: Pending[] = [];
    /** Rooms with something queued ahead that must go first: the rest of theirs waits too. */
    const held = new Set<string>();
    for (const pending of queue) {
      const room = pending.roomCode;
      const free = !writing.has(room) && !held.has(room);
      if ("step" in pending && free && !rooms.has(room)) run(room, pending.step);
      else if ("message" in pending && free && batch.length < MAX_BATCH) {
        batch.push(pending);
        rooms.add(room);
      } else {
        waiting.push(pending);
        held.add(room);
      }
    }
    queue = waiting;
    if (batch.length === 0) return;
    // Batches of different rooms may be at a networked store at once; SQLite answers each in turn.
    run(rooms, () => write(batch));
    schedule();
  }

  /** The rooms stay taken until `work` settles; then what waited for them may go. */
  function run(rooms: string | Set<string>, work: () => Promise<void>): void {
    const taken = typeof rooms === "string" ? [rooms] : [...rooms];
    for (const room of taken) writing.add(room);
    void work().finally(() => {
      for (const room of taken) writing.delete(room);
      schedule();
    });
  }

  async function write(batch: PendingAppend[]): Promise<void> {
    try {
      const results = await store.appendMessages(batch.map((pending) => pending.message));
      batch.forEach((pending, index) => {
        const result = results[index] ?? null;
        // A retry of a stored message was broadcast the first time; its sender gets the copy.
        if (result && !isRefused(result) && !result.duplicate)
          io.to(roomChannel(pending.message.roomCode)).emit("message", result.message);
        pending.resolve(result);
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }

  function enqueue(message: NewMessage): Promise<AppendAnswer> {
    return new Promise((resolve, reject) => {
      queue.push({ roomCode: message.roomCode, message, resolve, reject });
      schedule();
    });
  }

  /** Each run of one kind becomes one notice, in the order they came. */
  function storeArrivals(roomCode: string, held: HeldArrival[]): void {
    let start = 0;
    while (start < held.length) {
      const first = held[start]!;
      let end = start + 1;
      while (end < held.length && held[end]!.kind === first.kind) end++;
      const run = held.slice(start, end);
      enqueue({
        roomCode,
        clientId: null,
        kind: first.kind,
        authorId: first.member.userId,
        authorName: first.member.name,
        body: "",
        createdAt: first.createdAt,
        ...(run.length > 1 ? { others: run.length - 1 } : {}),
      }).then(
        () => run.forEach((arrival) => arrival.stored()),
        (error: unknown) => run.forEach((arrival) => arrival.failed(error)),
      );
      start = end;
    }
  }
  const arrivals = createRoomWindows(NOTICE_GROUP_MS, storeArrivals);

  return {
    append(message) {
      const held = arrivals.held(message.roomCode);
      if (
        held.length > 0 &&
        ((message.kind !== "text" && !isRelation(message)) ||
          held.some((arrival) => arrival.member.userId === message.authorId))
      )
        arrivals.release(message.roomCode);
      return enqueue(message);
    },
    exclusive(roomCode, step) {
      arrivals.release(roomCode);
      return new Promise((resolve, reject) => {
        queue.push({ roomCode, step: () => step().then(resolve, reject) });
        schedule();
      });
    },
    announce(arrival) {
      return new Promise((stored, failed) => {
        arrivals.add(arrival.roomCode, { ...arrival, stored, failed });
      });
    },
    stop() {
      arrivals.stop();
    },
  };
}
