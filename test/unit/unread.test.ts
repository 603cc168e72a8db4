import { describe, expect, it } from "vitest";
import type { ChatMessage } from "@/lib/chat-events";
import { countUnread, mentions } from "@/lib/client/unread";

function message(seq: number, authorId: string, kind: ChatMessage["kind"] = "text"): ChatMessage {
  return {
    seq,
    clientId: null,
    kind,
    authorId,
    authorName: authorId,
    body: kind === "text" ? `message ${seq}` : "",
    createdAt: seq * 1000,
  };
}

describe("countUnread", () => {
  const messages = [
    message(1, "alice"),
    message(2, "bob"),
    message(3, "carol", "joined"),
    message(4, "alice"),
    message(5, "bob"),
    message(6, "carol"),
  ];

  it("counts other people's text messages after the newest one seen", () => {
    expect(countUnread(messages, 3, "bob")).toBe(2);
  });

  it("ignores the reader's own messages and join or leave notices", () => {
    expect(countUnread(messages, 0, "bob")).toBe(3);
  });

  it("is zero when everything has been seen", () => {
    expect(countUnread(messages, 6, "bob")).toBe(0);
    expect(countUnread([], 0, "bob")).toBe(0);
  });
});

describe("mentions", () => {
  it("finds a name as a whole word, with or without @, in any case", () => {
    expect(mentions("@Bob can you look?", "Bob")).toBe(true);
    expect(mentions("thanks bob!", "Bob")).toBe(true);
    expect(mentions("Ask Anna Lee first", "Anna Lee")).toBe(true);
  });

  it("does not match a name inside another word", () => {
    expect(mentions("Bobby is here", "Bob")).toBe(false);
    expect(mentions("kebob", "Bob")).toBe(false);
  });

  it("treats the name as text, not as a pattern", () => {
    expect(mentions("hi A.B", "A.B")).toBe(true);
    expect(mentions("hi AxB", "A.B")).toBe(false);
  });
});
