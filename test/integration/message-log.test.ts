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
    expect(results.map((result) => [result?.message.seq, result?.duplicate])).toEqual([
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
});
