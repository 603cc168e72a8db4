// What people may type, without zod: the browser needs these rules, and zod would weigh more than
// the rest of the room page's own code. lib/validation.ts builds its schemas on them.

export const NAME_MAX_LENGTH = 32;
export const MESSAGE_MAX_LENGTH = 2000;

export type Checked = { ok: true; value: string } | { ok: false; error: string };

/** A message body as it will be stored (trimmed), or why it cannot be sent. */
export function checkMessageBody(body: string): Checked {
  const trimmed = body.trim();
  if (trimmed.length < 1) return { ok: false, error: "A message cannot be empty." };
  if (trimmed.length > MESSAGE_MAX_LENGTH)
    return { ok: false, error: `Messages are at most ${MESSAGE_MAX_LENGTH} characters.` };
  return { ok: true, value: trimmed };
}
