// Several people chat while their connections are cut and restored at random and the server
// restarts once; afterwards everyone must hold the same gap-free, duplicate-free history as the store.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ChatMessage } from "@/lib/chat-events";
import {
  createRoomConnection,
  type ChatClientSocket,
  type RoomConnection,
} from "@/lib/client/room-connection";
import type { RunningServer } from "@/lib/server/app-server";
import type { Config } from "@/lib/server/config";
import {
  connectSocket,
  eventually,
  joinAs,
  newRoom,
  startTestServer,
  tempDataDir,
  testConfig,
} from "./support/server";

const PEOPLE = 5;
const MESSAGES_EACH = 80;
const CUT_EVERY_MS = 40;

let data: ReturnType<typeof tempDataDir>;
let config: Config;
let server: RunningServer;

beforeAll(async () => {
  data = tempDataDir();
  config = testConfig(data.dir, {
    MESSAGE_RATE_PER_SECOND: "1000",
    MESSAGE_BURST: "1000",
    PRESENCE_GRACE_MS: "2000",
  });
  server = await startTestServer(config);
});

afterAll(async () => {
  await server.close();
  data.remove();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const randomBetween = (min: number, max: number) => min + Math.random() * (max - min);

it(
  "everyone ends with the store's exact history through cuts and a restart",
  { timeout: 120_000 },
  async () => {
    const roomCode = await newRoom(server);
    const port = server.port;
    const people = await Promise.all(
      Array.from({ length: PEOPLE }, async (_, index) => {
        const person = await joinAs(server, roomCode, `P${index}`, config);
        const socket: ChatClientSocket = connectSocket(server.url, {
          cookie: person.cookie,
          autoConnect: false,
        });
        const room: RoomConnection = createRoomConnection({
          socket,
          userId: person.userId,
          initial: { messages: [], hasOlder: false, members: [] },
          ackTimeoutMs: 1000,
        });
        room.setOnline(true);
        return { person, socket, room };
      }),
    );
    await eventually(
      () => people.every((p) => p.room.getSnapshot().connection.status === "connected"),
      "all connected",
    );

    let cuts = 0;
    let restarts = 0;
    let sending = true;

    const senders = people.map(async ({ person, room }) => {
      for (let i = 0; i < MESSAGES_EACH; i++) {
        room.send(`${person.name}-${i}`);
        await sleep(randomBetween(10, 60));
      }
    });

    // Two kinds of cut: the app going offline (a clean close) and the network dropping under it.
    const chaos = (async () => {
      while (sending) {
        await sleep(CUT_EVERY_MS);
        const target = people[Math.floor(Math.random() * people.length)]!;
        cuts++;
        if (Math.random() < 0.5) {
          target.room.setOnline(false);
          await sleep(randomBetween(20, 200));
          target.room.setOnline(true);
        } else {
          target.socket.io.engine?.close();
        }
      }
    })();

    await sleep(800);
    await server.close();
    restarts++;
    await sleep(300);
    server = await startTestServer({ ...config, port });

    await Promise.all(senders);
    sending = false;
    await chaos;
    people.forEach(({ room }) => room.setOnline(true));

    const stored = await eventually(
      () => people.every(({ room }) => room.getSnapshot().outbox.length === 0),
      "every outbox drained",
      60_000,
    ).then(() => server.store.messagesAfter(roomCode, 0, 100_000));
    const storedTexts = stored.filter((message) => message.kind === "text");
    const expectedTexts = people.flatMap(({ person }) =>
      Array.from({ length: MESSAGES_EACH }, (_, i) => `${person.name}-${i}`),
    );

    // The store: every message once, sequences 1..n without a gap.
    expect(storedTexts.map((message) => message.body).sort()).toEqual([...expectedTexts].sort());
    expect(stored.map((message) => message.seq)).toEqual(stored.map((_, index) => index + 1));
    // Each person's own messages are stored in the order they were typed.
    for (const { person } of people) {
      const own = storedTexts
        .filter((message) => message.authorName === person.name)
        .map((m) => m.body);
      expect(own).toEqual(Array.from({ length: MESSAGES_EACH }, (_, i) => `${person.name}-${i}`));
    }

    const ids = (messages: readonly ChatMessage[]) =>
      messages.map((message) => `${message.seq}:${message.id}`);
    await eventually(
      () => people.every(({ room }) => room.getSnapshot().messages.length === stored.length),
      "every client caught up",
      30_000,
    ).catch(() => undefined); // The comparison below says what differs.
    for (const { room } of people) expect(ids(room.getSnapshot().messages)).toEqual(ids(stored));

    console.log(
      `chaos: ${storedTexts.length} messages from ${PEOPLE} people survived ${cuts} connection cuts and ${restarts} server restart; ` +
        `every client holds the store's ${stored.length} entries without a gap or a double`,
    );
    people.forEach(({ room }) => room.close());
  },
);
