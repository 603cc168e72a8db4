"use client";
// A message body: plain text (React escapes it) when it has no Markdown in it, else the Markdown
// subset, whose renderer loads after first paint. The server's HTML stays until it has loaded.
import { lazy, memo, Suspense, useEffect } from "react";
import { needsMarkdown, splitMentions } from "@/lib/client/message-format";
import { MentionMark } from "./mention-mark";

type MarkdownModule = { default: (props: Props) => React.ReactNode };
let markdownModule: Promise<MarkdownModule> | undefined;
const loadMarkdown = () =>
  (markdownModule ??= import("./message-markdown")
    .then((module) => ({ default: module.MessageMarkdown }))
    // A chunk that cannot load (the server went away mid-session) leaves bodies as plain text.
    .catch(() => ({ default: PlainText })));
const MessageMarkdown = lazy(loadMarkdown);

interface Props {
  body: string;
  /** The reader's name, highlighted where it appears; none for the reader's own messages. */
  mentionOf?: string;
}

function PlainText({ body, mentionOf }: Props) {
  return (
    // anywhere: a long unbroken word wraps inside its bubble instead of widening the conversation.
    <p className="whitespace-pre-wrap [overflow-wrap:anywhere]">
      {splitMentions(body, mentionOf).map((part, index) =>
        part.mention ? <MentionMark key={index}>{part.text}</MentionMark> : part.text,
      )}
    </p>
  );
}

/** Memoized: a long room re-renders its rows often, and a body parses once per reader's name. */
export const MessageText = memo(function MessageText({ body, mentionOf }: Props) {
  // Any body on screen starts the renderer's download, so the next formatted one shows at once.
  useEffect(() => void loadMarkdown(), []);
  if (!needsMarkdown(body)) return <PlainText body={body} mentionOf={mentionOf} />;
  return (
    <Suspense fallback={<PlainText body={body} mentionOf={mentionOf} />}>
      <MessageMarkdown body={body} mentionOf={mentionOf} />
    </Suspense>
  );
});
