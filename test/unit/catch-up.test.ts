import { describe, expect, it } from "vitest";
import { messageAt as message } from "../support/messages";
import type { ChatMessage, HistoryPage } from "@/lib/chat-events";
import { createCatchUp } from "@/lib/client/catch-up";
import { mergeMessages } from "@/lib/client/message-timeline";

/** A server holding messages 1..total, answering pages of `pageSize`. */
function setup(total: number, pageSize: number, held: ChatMessage[]) {
  let messages: readonly ChatMessage[] = held;
  const asked: number[] = [];
  let connected = true;
  let gate: Promise<void> = Promise.resolve();
  const catchUp = createCatchUp({
    async fetchAfter(afterSeq): Promise<HistoryPage | null> {
      asked.push(afterSeq);
      await gate;
      if (!connected) return null;
      const page = [];
      for (let seq = afterSeq + 1; seq <= Math.min(total, afterSeq + pageSize); seq++)
        page.push(message(seq));
      return { messages: page, hasMore: afterSeq + pageSize < total };
    },
    messages: () => messages,
    receive: (page) => (messages = mergeMessages(messages, page)),
    canFetch: () => connected,
  });
  return {
    catchUp,
    asked,
    seqs: () => messages.map((m) => m.seq),
    setTotal: (value: number) => (total = value),
    disconnect: () => (connected = false),
    hold: () => {
      let open = () => {};
      gate = new Promise((resolve) => (open = resolve));
      return () => open();
    },
  };
}

describe("catch-up", () => {
  it("asks after the last message held without a gap, page by page until there is no more", async () => {
    const t = setup(7, 3, [message(1), message(2), message(5)]);
    await t.catchUp();
    expect(t.asked).toEqual([2, 5]);
    expect(t.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("runs once at a time, and a request during a run makes it go round again", async () => {
    const t = setup(2, 10, [message(1)]);
    const open = t.hold();
    const first = t.catchUp();
    const second = t.catchUp();
    t.setTotal(4);
    open();
    await Promise.all([first, second]);
    // One request in flight at a time; the second call became one more round, not a parallel run.
    expect(t.asked).toEqual([1, 4]);
    expect(t.seqs()).toEqual([1, 2, 3, 4]);
  });

  it("stops when the connection drops and can run again later", async () => {
    const t = setup(5, 2, [message(1)]);
    t.disconnect();
    await t.catchUp();
    expect(t.asked).toEqual([]);
  });
});
