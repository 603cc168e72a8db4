// The chaos scenario, shared by the single-server and the cluster suites: several people chat
// while their connections are cut at random and the server side is disrupted once; afterwards
// every client must hold exactly the store's history.
import { expect } from "vitest";
import type { ChatMessage } from "@/lib/chat-events";
import type { RoomConnection } from "@/lib/client/room-connection";
import { eventually, personConnection, type Person } from "./server";

const CUT_EVERY_MS = 40;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Mulberry32: a small seeded generator, so a failing run's cuts and pauses can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const ids = (messages: readonly ChatMessage[]) =>
  messages.map((message) => `${message.seq}:${message.clientId ?? message.kind}:${message.body}`);

export interface ChaosOptions {
  url: string;
  people: Person[];
  messagesEach: number;
  /** The server-side disruption (a restart, a node killed…), run once while people chat. */
  disrupt: () => Promise<void>;
  storedHistory: () => Promise<ChatMessage[]>;
}

/** Every client ends with exactly the store's history. (On a timeout the comparison says what differs.) */
export async function expectEveryClientHolds(
  clients: readonly { room: RoomConnection }[],
  stored: readonly ChatMessage[],
): Promise<void> {
  await eventually(
    () => clients.every(({ room }) => room.getSnapshot().messages.length === stored.length),
    "every client caught up",
    30_000,
  ).catch(() => undefined);
  for (const { room } of clients) expect(ids(room.getSnapshot().messages)).toEqual(ids(stored));
}

/** Runs the scenario, asserts the outcome, and returns a line saying what it survived. */
export async function runChaos(options: ChaosOptions): Promise<string> {
  const { url, people, messagesEach, disrupt, storedHistory } = options;
  const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 32));
  // Printed first, so a failure can be replayed with CHAOS_SEED=<seed>.
  console.log(`chaos seed ${seed} (replay with CHAOS_SEED=${seed})`);
  const random = seededRandom(seed);
  const randomBetween = (min: number, max: number) => min + random() * (max - min);
  const clients = people.map((person) => ({ person, ...personConnection(url, person) }));
  await eventually(
    () => clients.every((c) => c.room.getSnapshot().connection.status === "connected"),
    "all connected",
  );

  let cuts = 0;
  let sending = true;
  const senders = clients.map(async ({ person, room }) => {
    for (let i = 0; i < messagesEach; i++) {
      room.send(`${person.name}-${i}`);
      await sleep(randomBetween(10, 60));
    }
  });
  // Two kinds of cut: the app going offline (a clean close) and the network dropping under it.
  const chaos = (async () => {
    while (sending) {
      await sleep(CUT_EVERY_MS);
      const target = clients[Math.floor(random() * clients.length)]!;
      cuts++;
      if (random() < 0.5) {
        target.room.setOnline(false);
        await sleep(randomBetween(20, 200));
        target.room.setOnline(true);
      } else {
        target.socket.io.engine?.close();
      }
    }
  })();

  await sleep(800);
  await disrupt();
  await Promise.all(senders);
  sending = false;
  await chaos;
  clients.forEach(({ room }) => room.setOnline(true));

  await eventually(
    () => clients.every(({ room }) => room.getSnapshot().outbox.length === 0),
    "every outbox drained",
    60_000,
  );
  const stored = await storedHistory();
  const storedTexts = stored.filter((message) => message.kind === "text");
  const typed = (person: Person) =>
    Array.from({ length: messagesEach }, (_, i) => `${person.name}-${i}`);

  // The store: every message once, sequences 1..n without a gap, each person's in typing order.
  expect(storedTexts.map((message) => message.body).sort()).toEqual(people.flatMap(typed).sort());
  expect(stored.map((message) => message.seq)).toEqual(stored.map((_, index) => index + 1));
  for (const person of people) {
    expect(storedTexts.filter((m) => m.authorName === person.name).map((m) => m.body)).toEqual(
      typed(person),
    );
  }
  await expectEveryClientHolds(clients, stored);
  clients.forEach(({ room }) => room.close());

  return (
    `seed ${seed}: ${storedTexts.length} messages from ${people.length} people survived ${cuts} connection cuts; ` +
    `every client holds the store's ${stored.length} entries without a gap or a double`
  );
}
