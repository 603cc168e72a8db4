import { describe, expect, it } from "vitest";
import type { ChatMessage, MessageKind } from "@/lib/chat-events";
import { noticeText } from "@/lib/client/message-format";
import { groupNotices, summarizeNotices } from "@/lib/client/notice-runs";

let seq = 0;
const entry = (kind: MessageKind, authorName: string): ChatMessage => ({
  seq: ++seq,
  clientId: null,
  kind,
  authorId: authorName.toLowerCase(),
  authorName,
  body: kind === "text" ? "hello" : "",
  createdAt: seq,
});

describe("join and leave notices", () => {
  it("a run of them is one entry; a message ends the run", () => {
    const list = [
      entry("joined", "Ann"),
      entry("joined", "Ben"),
      entry("text", "Ann"),
      entry("left", "Ben"),
    ];
    expect(groupNotices(list).map((item) => item.kind)).toEqual(["notices", "message", "notices"]);
  });

  it("reads as one line, naming two people and counting the rest", () => {
    expect(summarizeNotices([entry("joined", "Ann")])).toBe("Ann joined");
    expect(summarizeNotices([entry("joined", "Ann"), entry("joined", "Ben")])).toBe(
      "Ann and Ben joined",
    );
    const five = ["Ann", "Ben", "Cy", "Di", "Ed"].map((name) => entry("joined", name));
    expect(summarizeNotices(five)).toBe("Ann, Ben and 3 others joined");
    expect(
      summarizeNotices([entry("joined", "Ann"), entry("left", "Ben"), entry("joined", "Ann")]),
    ).toBe("Ann joined · Ben left");
  });

  it("a notice for a crowd reads by the same rule, alone and within a run", () => {
    const crowd = { ...entry("joined", "Ann"), others: 41 };
    expect(noticeText(crowd)).toBe("Ann and 41 others joined");
    expect(noticeText({ ...entry("left", "Ann"), others: 1 })).toBe("Ann and 1 other left");
    expect(summarizeNotices([crowd])).toBe("Ann and 41 others joined");
    expect(summarizeNotices([entry("joined", "Zoe"), crowd])).toBe("Zoe, Ann and 41 others joined");
  });

  it("an owner's actions keep their own words in the line", () => {
    const removed = { ...entry("member-removed", "Olga"), body: "Max" };
    expect(summarizeNotices([entry("joined", "Nina"), entry("room-locked", "Olga"), removed])).toBe(
      "Nina joined · Olga locked the room · Olga removed Max",
    );
  });
});
