// The chaos scenario, shared by the single-server and the cluster suites: several people chat
// while their connections are cut at random and the server side is disrupted once; afterwards
// every client must hold exactly the store's history. People also edit and delete their own
// messages and react to anyone's, so every client must end with each message's final state too.
import { expect } from "vitest";
import { isRelation, type ChatMessage, type Result } from "@/lib/chat-events";
import type { MessageAction, RoomConnection } from "@/lib/client/room-connection";
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
// A relation event's body is left out: a delete blanks its edits' bodies in the store, while a
// client that saw an edit still holds it (hidden).
const ids = (messages: readonly ChatMessage[]) =>
  messages.map(
    (message) =>
      `${message.seq}:${message.clientId ?? message.kind}:${isRelation(message) ? message.kind : message.body}`,
  );
/** What a reader sees of each message: its text, edit mark, deletion and reactions. */
const states = (messages: readonly ChatMessage[]) =>
  messages
    .filter((message) => !isRelation(message))
    .map(({ seq, body, editedAt, deleted, reactions }) => ({
      seq,
      body,
      editedAt,
      deleted,
      reactions,
    }));

const EMOJI = ["👍", "🎉", "❤️"];

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
  for (const { room } of clients) {
    expect(ids(room.getSnapshot().messages)).toEqual(ids(stored));
    expect(states(room.getSnapshot().messages)).toEqual(states(stored));
  }
}

/** An edit or delete of one of `userId`'s messages, or a reaction toggled on anyone's. */
function randomAction(
  messages: readonly ChatMessage[],
  userId: string,
  random: () => number,
): MessageAction | null {
  const texts = messages.filter((message) => message.kind === "text" && !message.deleted);
  const own = texts.filter((message) => message.authorId === userId);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const roll = random();
  const mine = pick(own);
  if (roll < 0.15 && mine) return { type: "delete", seq: mine.seq };
  if (roll < 0.35 && mine) return { type: "edit", seq: mine.seq, body: `${mine.body} (edited)` };
  const target = pick(texts);
  if (!target) return null;
  const emoji = pick(EMOJI)!;
  const on = !target.reactions?.some(
    (reaction) => reaction.emoji === emoji && reaction.by.some((who) => who.userId === userId),
  );
  return { type: "react", seq: target.seq, emoji, on };
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
  const actions: Promise<Result>[] = [];
  const senders = clients.map(async ({ person, room }) => {
    for (let i = 0; i < messagesEach; i++) {
      room.send(`${person.name}-${i}`);
      await sleep(randomBetween(10, 60));
      const action =
        random() < 0.3 ? randomAction(room.getSnapshot().messages, person.userId, random) : null;
      // Not awaited: an unanswered action waits for its retries while this person types on.
      if (action) actions.push(room.messageAction(action));
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
  const answers = await Promise.all(actions);
  const stored = await storedHistory();
  const storedTexts = stored.filter((message) => message.kind === "text");
  const relations = stored.filter(isRelation);
  // Every acknowledged action is stored (an unanswered one may be too), and some were.
  const acknowledged = answers.filter((answer) => answer.ok).length;
  expect(acknowledged).toBeGreaterThan(0);
  expect(relations.length).toBeGreaterThanOrEqual(acknowledged);
  const typed = (person: Person) =>
    Array.from({ length: messagesEach }, (_, i) => `${person.name}-${i}`);

  // The store: every message once, sequences 1..n without a gap, each person's in typing order
  // (as typed, or blank once deleted, or with the edit's mark).
  const typedAs = (message: ChatMessage) => message.body.replace(/( \(edited\))+$/, "");
  expect(storedTexts.length).toBe(people.length * messagesEach);
  expect(stored.map((message) => message.seq)).toEqual(stored.map((_, index) => index + 1));
  for (const person of people) {
    const theirs = storedTexts.filter((m) => m.authorName === person.name);
    // Deleted ones keep their place: their order is still each person's typing order.
    expect(theirs.map((m) => (m.deleted ? null : typedAs(m)))).toEqual(
      typed(person).map((body, i) => (theirs[i]?.deleted ? null : body)),
    );
  }
  await expectEveryClientHolds(clients, stored);
  clients.forEach(({ room }) => room.close());

  return (
    `seed ${seed}: ${storedTexts.length} messages and ${relations.length} edits, deletes and reactions ` +
    `(${answers.length - acknowledged} actions unanswered or refused) from ${people.length} people survived ${cuts} connection cuts; ` +
    `every client holds the store's ${stored.length} entries without a gap or a double`
  );
}
