// Replies, edits, deletes and reactions over real sockets: crafted events are refused with a
// reason and logged, and a client that was offline meanwhile catches up to the final state.
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import type { ChatMessage, MessageActionPayload } from "@/lib/chat-events";
import type { MessageAction } from "@/lib/client/room-connection";
import { isRelation } from "@/lib/chat-events";
import {
  connectSocket,
  eventually,
  personConnection,
  roomWithSockets,
  sendWithTextFile,
  withTestServer,
  sendText,
} from "../support/server";

type Socket = ReturnType<typeof connectSocket>;
let ids = 0;
const clientId = () => `action-${Date.now()}-${++ids}`;

function act(socket: Socket, action: MessageAction & { clientId?: string }) {
  return socket
    .timeout(5000)
    .emitWithAck("message:action", { clientId: clientId(), ...action } as MessageActionPayload);
}

/** The room as a reader sees it: visible messages, with relation events folded in. */
const visible = (messages: readonly ChatMessage[]) =>
  messages.filter((message) => !isRelation(message));

describe("message actions", () => {
  const t = withTestServer();

  it("refuses crafted events with reasons: others' messages, bad emoji, bad targets", async () => {
    const { roomCode, sockets } = await roomWithSockets(t, "Ada", "Bob");
    const [ada, bob] = sockets as [Socket, Socket];
    const hello = await sendText(ada, "hello");
    const notice = (await t.server.store.latestMessages(roomCode, 10)).find(
      (message) => message.kind === "joined",
    )!;

    const answers = {
      editOthers: await act(bob, { type: "edit", seq: hello.seq, body: "mine now" }),
      deleteOthers: await act(bob, { type: "delete", seq: hello.seq }),
      notAnEmoji: await act(bob, { type: "react", seq: hello.seq, emoji: "a", on: true }),
      twoEmoji: await act(bob, { type: "react", seq: hello.seq, emoji: "👍👍", on: true }),
      noSuchSeq: await act(ada, { type: "edit", seq: 9999, body: "x" }),
      zeroSeq: await act(ada, { type: "delete", seq: 0 }),
      notice: await act(ada, { type: "react", seq: notice.seq, emoji: "👍", on: true }),
      emptyEdit: await act(ada, { type: "edit", seq: hello.seq, body: "   " }),
      unknownType: await act(ada, { type: "pin", seq: hello.seq } as never),
      replyToNothing: await ada
        .timeout(5000)
        .emitWithAck("message:send", { clientId: clientId(), body: "re", replyTo: 9999 }),
    };
    expect(
      Object.fromEntries(
        Object.entries(answers).map(([key, answer]) => [key, answer.ok ? "ok" : answer.code]),
      ),
    ).toEqual({
      editOthers: "not-author",
      deleteOthers: "not-author",
      notAnEmoji: "invalid",
      twoEmoji: "invalid",
      noSuchSeq: "no-such-message",
      zeroSeq: "invalid",
      notice: "no-such-message",
      emptyEdit: "invalid",
      unknownType: "invalid",
      replyToNothing: "no-such-message",
    });
    expect(answers.editOthers).toMatchObject({
      error: "You can only edit or delete your own messages.",
    });
    expect(
      t.logs.filter((line) => line.msg === "write refused").map((line) => line.refused),
    ).toEqual(expect.arrayContaining(["not-author", "no-such-message"]));
    const stored = (await t.server.store.messagesAfter(roomCode, 0, 100)).find(
      (message) => message.seq === hello.seq,
    );
    expect(stored).toMatchObject({ body: "hello" });
    expect(stored).not.toHaveProperty("version");
  });

  it("message actions take tokens from the message budget", async () => {
    const { sockets } = await roomWithSockets(t, "Ada");
    const [ada] = sockets as [Socket];
    const hello = await sendText(ada, "hello");
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, n) =>
        act(ada, { type: "react", seq: hello.seq, emoji: n % 2 ? "👍" : "🎉", on: true }),
      ),
    );
    expect(
      answers.filter((answer) => !answer.ok).map((answer) => !answer.ok && answer.code),
    ).toContain("rate-limited");
  });

  it("a retried action is stored once", async () => {
    const { roomCode, sockets } = await roomWithSockets(t, "Ada");
    const [ada] = sockets as [Socket];
    const hello = await sendText(ada, "hello");
    const action = { type: "delete", seq: hello.seq, clientId: "delete-retry-1" } as const;
    const [first, second] = [await act(ada, action), await act(ada, action)];
    expect(first.ok && second.ok && second.message).toEqual(first.ok && first.message);
    const stored = await t.server.store.messagesAfter(roomCode, hello.seq, 10);
    expect(stored.filter((message) => message.kind === "delete")).toHaveLength(1);
  });

  it("a client offline during an edit, a delete and a reaction catches up to the final state", async () => {
    const { roomCode, people, sockets } = await roomWithSockets(t, "Ada", "Bob");
    const [ada] = sockets as [Socket];
    const [, bobPerson] = people;
    const bob = personConnection(t.server.url, bobPerson!);
    const first = await sendText(ada, "first");
    const second = await sendText(ada, "second, with a typo");
    const third = await sendText(ada, "third");
    const reply = await sendText(ada, "about the third", third.seq);
    expect(reply.quote).toEqual({ authorName: "Ada", excerpt: "third" });
    await eventually(
      () => bob.room.getSnapshot().messages.some((message) => message.seq === reply.seq),
      "Bob has the messages",
    );
    const current = () => visible(bob.room.getSnapshot().messages);

    // Live first: Bob sees an edit as it happens.
    await act(ada, { type: "edit", seq: first.seq, body: "first, edited" });
    await eventually(
      () => current()[current().findIndex((m) => m.seq === first.seq)]?.body === "first, edited",
      "live edit",
    );

    bob.room.setOnline(false);
    await act(ada, { type: "edit", seq: second.seq, body: "second, fixed" });
    await act(ada, { type: "delete", seq: third.seq });
    await act(ada, { type: "react", seq: second.seq, emoji: "🎉", on: true });
    await act(ada, { type: "react", seq: first.seq, emoji: "👍", on: true });
    await act(ada, { type: "react", seq: first.seq, emoji: "👍", on: false });
    bob.room.setOnline(true);

    const stored = visible(await t.server.store.messagesAfter(roomCode, 0, 100));
    // A reply's quote is what it was when it arrived; the page shows the loaded original instead.
    const withoutQuotes = (messages: readonly ChatMessage[]) =>
      messages.map(({ quote: _quote, ...message }) => message);
    await eventually(
      () => isDeepStrictEqual(withoutQuotes(current()), withoutQuotes(stored)),
      "Bob's view equals the store's",
    ).catch((error: unknown) => {
      expect(withoutQuotes(current())).toEqual(withoutQuotes(stored));
      throw error;
    });
    const bySeq = (seq: number) => current().find((message) => message.seq === seq);
    expect(bySeq(second.seq)).toMatchObject({
      body: "second, fixed",
      reactions: [{ emoji: "🎉" }],
    });
    expect(bySeq(third.seq)).toMatchObject({ body: "", deleted: true });
    expect(bySeq(first.seq)).not.toHaveProperty("reactions");
    // The page a reload would show quotes the original as it is now.
    expect(stored.find((message) => message.seq === reply.seq)?.quote).toEqual({
      authorName: "Ada",
      excerpt: "",
      deleted: true,
    });
    bob.room.close();
  });

  it("a delete removes its message's files from the file store", async () => {
    const { roomCode, people, sockets } = await roomWithSockets(t, "Ada");
    const [ada] = sockets as [Socket];
    const { message, fileId } = await sendWithTextFile(
      t,
      { roomCode, person: people[0]!, socket: ada },
      { clientId: "with-file-1", name: "notes.txt", text: "secret" },
    );
    expect(await t.server.files.getFile(roomCode, fileId)).not.toBeNull();
    expect((await act(ada, { type: "delete", seq: message.seq })).ok).toBe(true);
    expect(await t.server.files.getFile(roomCode, fileId)).toBeNull();
    expect(await t.server.files.readFile(roomCode, fileId, "original")).toBeNull();
  });
});
