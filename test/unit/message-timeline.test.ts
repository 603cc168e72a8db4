import { describe, expect, it } from "vitest";
import { messageAt as message } from "../support/messages";
import type { ChatMessage } from "@/lib/chat-events";
import { linkify } from "@/lib/client/message-format";
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

describe("links in messages", () => {
  it("become links only for http(s), www. and mailto:, with the text untouched", () => {
    expect(linkify("see https://example.org/a?b=1, then")).toEqual([
      { kind: "text", text: "see " },
      { kind: "link", text: "https://example.org/a?b=1", href: "https://example.org/a?b=1" },
      { kind: "text", text: ", then" },
    ]);
    expect(
      linkify("at www.example.org. Or mail ann@example.org via mailto:ann@example.org"),
    ).toEqual([
      { kind: "text", text: "at " },
      { kind: "link", text: "www.example.org", href: "https://www.example.org/" },
      { kind: "text", text: ". Or mail ann@example.org via " },
      { kind: "link", text: "mailto:ann@example.org", href: "mailto:ann@example.org" },
    ]);
    expect(linkify("javascript:alert(1) and <b>x</b>")).toEqual([
      { kind: "text", text: "javascript:alert(1) and <b>x</b>" },
    ]);
    expect(
      linkify("(http://a.example)")
        .map((part) => part.text)
        .join(""),
    ).toBe("(http://a.example)");
  });
});
