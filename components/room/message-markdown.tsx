"use client";
// A message body read as Markdown. Heavy (the parser), so the room loads it after first paint and
// only bodies that need it render here; the rest take MessageText's plain path.
import { useRef, type ComponentProps, type ReactElement } from "react";
import Markdown, { type Components } from "react-markdown";
import remarkBreaks from "remark-breaks";
import {
  ALLOWED_ELEMENTS,
  remarkChatSubset,
  remarkMentions,
  safeLinkUrl,
} from "@/lib/client/message-markdown";
import { CopyButton } from "./copy-button";
import { MentionMark } from "./mention-mark";

function MessageLink({ href, children }: ComponentProps<"a">) {
  // A refused address (javascript:, data:, relative) is left as words, not a dead link.
  if (!href) return <span>{children}</span>;
  return (
    <a
      href={href}
      target="_blank"
      rel="noopener noreferrer nofollow"
      className="underline decoration-1 underline-offset-2"
    >
      {children}
    </a>
  );
}

function CodeBlock({ children }: ComponentProps<"pre">) {
  const pre = useRef<HTMLPreElement>(null);
  return (
    <div className="my-1 rounded-lg bg-slate-100 text-slate-900 ring-1 ring-slate-300 dark:bg-slate-950 dark:text-slate-100 dark:ring-slate-700">
      <div className="flex justify-end px-1 pt-1">
        <CopyButton
          label="Copy code block"
          // The parser ends every block with a newline nobody typed.
          text={() => (pre.current?.textContent ?? "").replace(/\n$/, "")}
          className="rounded px-2 py-0.5 text-xs font-medium text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
        />
      </div>
      {/* Scrolls sideways inside the bubble: a long line never widens the conversation. */}
      <pre
        ref={pre}
        tabIndex={0}
        className="overflow-x-auto px-3 pb-2 font-mono text-[13px] leading-normal [overflow-wrap:normal]"
      >
        {children}
      </pre>
    </div>
  );
}

const COMPONENTS: Components = {
  a: MessageLink,
  pre: CodeBlock,
  blockquote: ({ children }) => (
    <blockquote className="border-l-2 border-current/40 pl-2 opacity-90">{children}</blockquote>
  ),
  ul: ({ children }) => <ul className="list-disc pl-5">{children}</ul>,
  ol: ({ children, start }) => (
    <ol start={start} className="list-decimal pl-5">
      {children}
    </ol>
  ),
  mark: ({ children }) => <MentionMark>{children}</MentionMark>,
};

/** Bodies rendered lately, by reader and text: rows that leave the page and come back on scrolling
 * (a long room keeps only the newest on it) are not parsed again. */
const rendered = new Map<string, ReactElement>();
const RENDERED_KEPT = 1000;

function renderBody(body: string, mentionOf: string | undefined): ReactElement {
  const key = `${mentionOf ?? ""}\n${body}`;
  const element =
    rendered.get(key) ??
    // A plain function of its options (no hooks), so its output can be kept and reused.
    Markdown({
      children: body,
      remarkPlugins: [remarkChatSubset, remarkBreaks, [remarkMentions, mentionOf]],
      allowedElements: ALLOWED_ELEMENTS,
      unwrapDisallowed: true,
      skipHtml: true,
      urlTransform: safeLinkUrl,
      components: COMPONENTS,
    });
  // Newest last: the first key is the one used longest ago.
  rendered.delete(key);
  rendered.set(key, element);
  if (rendered.size > RENDERED_KEPT) rendered.delete(rendered.keys().next().value!);
  return element;
}

export function MessageMarkdown({ body, mentionOf }: { body: string; mentionOf?: string }) {
  return (
    // Inline code is tinted; code inside a block is styled by the block.
    <div className="space-y-1.5 [overflow-wrap:anywhere] [&_:not(pre)>code]:rounded [&_:not(pre)>code]:bg-black/10 [&_:not(pre)>code]:px-1 [&_:not(pre)>code]:font-mono [&_:not(pre)>code]:text-[0.9em] dark:[&_:not(pre)>code]:bg-white/15">
      {renderBody(body, mentionOf)}
    </div>
  );
}
