// How a relation event (edit, delete, reaction) changes the text message it relates to: one rule
// for the store, which decides and persists it, and for the client, which applies the same event
// to its loaded copy when the event is newer than the copy's version.
import {
  MAX_REACTIONS_PER_MESSAGE,
  type ChatMessage,
  type MessageActionRefusal,
  type Reaction,
} from "./chat-events";

export type RelationOutcome =
  { ok: true; message: ChatMessage } | { ok: false; reason: MessageActionRefusal };

function react(reactions: readonly Reaction[], event: ChatMessage): Reaction[] | null {
  const who = { userId: event.authorId, name: event.authorName };
  const existing = reactions.find((reaction) => reaction.emoji === event.body);
  if (event.kind === "reaction") {
    if (!existing)
      return reactions.length >= MAX_REACTIONS_PER_MESSAGE
        ? null
        : [...reactions, { emoji: event.body, by: [who] }];
    if (existing.by.some((member) => member.userId === who.userId)) return [...reactions];
    return reactions.map((reaction) =>
      reaction === existing ? { ...reaction, by: [...reaction.by, who] } : reaction,
    );
  }
  return reactions.flatMap((reaction) => {
    if (reaction !== existing) return [reaction];
    const by = reaction.by.filter((member) => member.userId !== who.userId);
    return by.length ? [{ ...reaction, by }] : [];
  });
}

/**
 * The target after `event`, or why the event may not change it. Only text messages are targets;
 * only their author edits or deletes them; a deleted message takes no more changes.
 */
export function applyRelation(
  target: ChatMessage | undefined,
  event: ChatMessage,
): RelationOutcome {
  if (!target || target.kind !== "text") return { ok: false, reason: "no-such-message" };
  if (target.deleted) return { ok: false, reason: "message-deleted" };
  const version = { version: event.seq };
  switch (event.kind) {
    case "edit":
    case "delete": {
      if (target.authorId !== event.authorId) return { ok: false, reason: "not-author" };
      if (event.kind === "edit")
        return {
          ok: true,
          message: { ...target, body: event.body, editedAt: event.createdAt, ...version },
        };
      // Body, files and reactions go; who wrote it and when stay, as a tombstone.
      const { attachments: _files, reactions: _reactions, editedAt: _edited, ...kept } = target;
      return { ok: true, message: { ...kept, body: "", deleted: true, ...version } };
    }
    case "reaction":
    case "reaction-removed": {
      const reactions = react(target.reactions ?? [], event);
      if (!reactions) return { ok: false, reason: "too-many-reactions" };
      const { reactions: _old, ...rest } = target;
      return {
        ok: true,
        message: { ...rest, ...(reactions.length ? { reactions } : {}), ...version },
      };
    }
    default:
      return { ok: false, reason: "no-such-message" };
  }
}

/** The start of a message's text as a reply quotes it. */
export function quoteOf(target: ChatMessage, length: number): ChatMessage["quote"] {
  return target.deleted
    ? { authorName: target.authorName, excerpt: "", deleted: true }
    : { authorName: target.authorName, excerpt: Array.from(target.body).slice(0, length).join("") };
}
