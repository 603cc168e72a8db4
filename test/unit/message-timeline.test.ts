import { describe, expect, it } from "vitest";
import { messageAt as message } from "../support/messages";
import type { ChatMessage } from "@/lib/chat-events";
import { contiguousSeq, mergeMessages } from "@/lib/client/message-timeline";

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
