import { linkify } from "@/lib/client/message-format";

/** A message body as text (React escapes it), with http(s) links made clickable and nothing else. */
export function MessageText({ body }: { body: string }) {
  return (
    // anywhere: a long unbroken link wraps inside its bubble instead of widening the conversation.
    <p className="whitespace-pre-wrap [overflow-wrap:anywhere]">
      {linkify(body).map((part, index) =>
        part.kind === "link" ? (
          <a
            key={index}
            href={part.href}
            target="_blank"
            rel="noopener noreferrer"
            className="underline decoration-1 underline-offset-2"
          >
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </p>
  );
}
