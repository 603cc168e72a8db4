import { describe, expect, it } from "vitest";
import { messageAt as message } from "../support/messages";
import type { ChatMessage } from "@/lib/chat-events";
import { contiguousSeq, mergeMessages, receiveMessages } from "@/lib/client/message-timeline";

const seqs = (list: readonly ChatMessage[]) => list.map((m) => m.seq);

describe("the client's message list", () => {
  it("merges from any source in sequence order without doubles", () => {
    const list = [message(3), message(4)];
    expect(seqs(mergeMessages(list, [message(5)]))).toEqual([3, 4, 5]);
    expect(seqs(mergeMessages(list, [message(2), message(4), message(6), message(1)]))).toEqual([
      1, 2, 3, 4, 6,
    ]);
    expect(mergeMessages(list, [message(3)])).toBe(list);
  });

  it("knows up to where it holds every message", () => {
    expect(contiguousSeq([])).toBe(0);
    expect(contiguousSeq([message(3), message(4), message(6)])).toBe(4);
    expect(contiguousSeq([message(1), message(2)])).toBe(2);
  });
});

describe("relation events in the client's list", () => {
  const edit = (seq: number, target: number, body: string): ChatMessage => ({
    ...message(seq),
    kind: "edit",
    relatesTo: target,
    body,
  });

  it("applies an event to its loaded target and records the target's version", () => {
    const list = receiveMessages([message(1)], [edit(2, 1, "new")]);
    expect(list[0]).toMatchObject({ body: "new", editedAt: 2, version: 2 });
  });

  it("leaves a target alone when its snapshot already holds a later event", () => {
    // A page read after the second edit, then the first edit's event arrives (catch-up).
    const snapshot = { ...message(1), body: "second", editedAt: 3, version: 3 };
    const list = receiveMessages([snapshot, edit(3, 1, "second")], [edit(2, 1, "first")]);
    expect(list[0]).toMatchObject({ body: "second", version: 3 });
  });

  it("applies held events to a target that arrives later in a page read before them", () => {
    const list = receiveMessages([edit(3, 1, "late")], [message(1), message(2)]);
    expect(list[0]).toMatchObject({ body: "late", version: 3 });
  });

  it("applies an event that overtook an earlier one only after the earlier one", () => {
    const react = (seq: number, name: string): ChatMessage => ({
      ...message(seq),
      kind: "reaction",
      relatesTo: 1,
      authorId: name,
      authorName: name,
      body: "🎉",
    });
    // Live: P1's reaction (3) arrives while P2's (2) is still to come by catch-up.
    const live = receiveMessages([message(1)], [react(3, "P1")]);
    expect(live[0]).not.toHaveProperty("reactions");
    const caughtUp = receiveMessages(live, [react(2, "P2")]);
    expect(caughtUp[0]!.reactions?.[0]?.by.map((person) => person.name).sort()).toEqual([
      "P1",
      "P2",
    ]);
    expect(caughtUp[0]).toMatchObject({ version: 3 });
  });
});
