// The ordered writer: whatever gets a sequence number within one turn of the event loop is stored
// together and broadcast in sequence order, and a retry is answered without a second broadcast.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatMessage } from "@/lib/chat-events";
import { generateRoomCode } from "@/lib/room-code";
import { createMessageLog, type MessageLog } from "@/lib/server/chat/message-log";
import { roomChannel, type ChatServer } from "@/lib/server/chat/types";
import { openSqliteStore } from "@/lib/server/store/sqlite";
import type { ChatStore, NewMessage } from "@/lib/server/store/types";

describe("the message log", () => {
  let dir: string;
  let store: ChatStore;
  let log: MessageLog;
  /** Every broadcast, as channel and sequence number, in the order it was made. */
  const broadcasts: Array<[string, number]> = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "roomcode-log-"));
    store = openSqliteStore(path.join(dir, "chat.db"));
    const io = {
      to: (channel: string) => ({
        emit: (_event: string, message: ChatMessage) => broadcasts.push([channel, message.seq]),
      }),
    } as unknown as ChatServer;
    log = createMessageLog(io, store);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const message = (roomCode: string, fields: Partial<NewMessage>): NewMessage => ({
    roomCode,
    clientId: null,
    kind: "text",
    authorId: "user-ada",
    authorName: "Ada",
    body: "",
    createdAt: Date.now(),
    ...fields,
  });

  it("broadcasts messages and notices of one turn in sequence order, and a retry not again", async () => {
    const room = generateRoomCode();
    await store.createRoom(room, Date.now());
    const results = await Promise.all([
      log.append(message(room, { clientId: "first-0001", body: "hello" })),
      log.append(message(room, { kind: "joined" })),
      log.append(message(room, { clientId: "second-001", body: "again" })),
      log.append(message(room, { clientId: "first-0001", body: "hello" })),
      log.append(message(room, { kind: "left" })),
    ]);
    expect(
      results.map(
        (result) => result && "message" in result && [result.message.seq, result.duplicate],
      ),
    ).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [1, true],
      [4, false],
    ]);
    const channel = roomChannel(room);
    expect(broadcasts.filter(([to]) => to === channel)).toEqual([
      [channel, 1],
      [channel, 2],
      [channel, 3],
      [channel, 4],
    ]);
  });

  it("answers null for a room that is gone, without a broadcast", async () => {
    const before = broadcasts.length;
    expect(await log.append(message(generateRoomCode(), { body: "nowhere" }))).toBeNull();
    expect(broadcasts).toHaveLength(before);
  });

  it("an exclusive step waits for the room's batch to be broadcast and holds the appends after it", async () => {
    // A networked store answers a while after it committed: the window in which a notice stored
    // on its own could be broadcast before the batch numbered ahead of it.
    const slow: ChatStore = {
      ...store,
      appendMessages: async (messages) => {
        const results = await store.appendMessages(messages);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return results;
      },
    };
    const seen: number[] = [];
    const io = {
      to: () => ({ emit: (_event: string, stored: ChatMessage) => seen.push(stored.seq) }),
    } as unknown as ChatServer;
    const ordered = createMessageLog(io, slow);
    const room = generateRoomCode();
    await store.createRoom(room, Date.now());
    const first = ordered.append(message(room, { clientId: "before-001", body: "before" }));
    // Queued in the same turn as the append before it and the one after it.
    const step = ordered.exclusive(room, async () => {
      const notice = await store.appendMessage(message(room, { kind: "room-locked" }));
      if (!notice || !("message" in notice)) return undefined;
      io.to(room).emit("message", notice.message);
      return notice.message.seq;
    });
    const after = ordered.append(message(room, { clientId: "after-0001", body: "after" }));
    expect(await Promise.all([first, step, after])).toMatchObject([
      { message: { seq: 1 } },
      2,
      { message: { seq: 3 } },
    ]);
    expect(seen).toEqual([1, 2, 3]);
  });
});
