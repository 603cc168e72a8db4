"use client";
// Screen readers hear other people's new messages; the history already shown is not re-read.
import { useEffect, useRef, useState } from "react";
import type { ChatMessage } from "@/lib/chat-events";
import { noticeText } from "@/lib/client/message-format";

function describe(message: ChatMessage): string {
  if (message.kind !== "text") return noticeText(message);
  return `${message.authorName}: ${message.body}`;
}

export function NewMessageAnnouncer({
  messages,
  selfId,
}: {
  messages: readonly ChatMessage[];
  selfId: string;
}) {
  const announced = useRef(messages.at(-1)?.seq ?? 0);
  const [text, setText] = useState("");
  const newest = messages.at(-1);

  useEffect(() => {
    if (!newest || newest.seq <= announced.current) return;
    const fresh = messages.filter(
      (message) => message.seq > announced.current && message.authorId !== selfId,
    );
    announced.current = newest.seq;
    if (fresh.length > 0) setText(fresh.slice(-3).map(describe).join(". "));
  }, [newest, messages, selfId]);

  return (
    <div aria-live="polite" className="sr-only">
      {text}
    </div>
  );
}
