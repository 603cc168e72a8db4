// What people may type, without zod: the browser needs these rules, and zod would weigh more than
// the rest of the room page's own code. lib/validation.ts builds its schemas on them.

/** Names are counted in what a reader sees as characters (grapheme clusters). */
export const NAME_MAX_LENGTH = 32;
/** Storage bound for a name in UTF-16 units, whatever its clusters hold. */
export const NAME_MAX_UNITS = 128;
/** Longer runs of combining marks stack into unreadable towers ("Zalgo" text). */
export const NAME_MAX_COMBINING_RUN = 2;
export const MESSAGE_MAX_LENGTH = 2000;

export type Checked = { ok: true; value: string } | { ok: false; error: string };

// Control characters other than tab and line breaks (NUL, ESC…) and lone surrogates: PostgreSQL
// refuses a NUL and SQLite stores a lone surrogate as three U+FFFD, so what readers are sent live
// would differ from what a reload shows, or not be stored at all.
const BODY_REFUSED = /[\0-\x08\x0b\x0c\x0e-\x1f\x7f\p{Cs}]/u;

/** A message body as it will be stored (trimmed), or why it cannot be sent. */
export function checkMessageBody(body: string): Checked {
  const trimmed = body.trim();
  if (trimmed.length < 1) return { ok: false, error: "A message cannot be empty." };
  if (trimmed.length > MESSAGE_MAX_LENGTH)
    return { ok: false, error: `Messages are at most ${MESSAGE_MAX_LENGTH} characters.` };
  if (BODY_REFUSED.test(trimmed))
    return { ok: false, error: "Messages cannot contain control characters." };
  return { ok: true, value: trimmed };
}

// Characters that draw nothing, reorder text or break lines: invisible look-alikes of a real name.
// Lone surrogates too: a store keeps them as U+FFFD, so the name stored would not be the one shown.
const CONTROL = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]/u;
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;
// Inside an emoji sequence (👩‍💻, ❤️, 🏴 flags) joiners, variation selectors and tags are its parts.
const EMOJI_PARTS = /[\u200d\ufe0e\ufe0f\u{e0020}-\u{e007f}]/gu;
const EMOJI = /\p{Extended_Pictographic}/u;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
const COMBINING_RUN = new RegExp(`\\p{M}{${NAME_MAX_COMBINING_RUN + 1}}`, "u");

function graphemes(text: string): string[] {
  return Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)).map(
    (part) => part.segment,
  );
}

function hasInvisible(clusters: readonly string[]): boolean {
  return clusters.some((cluster) =>
    INVISIBLE.test(EMOJI.test(cluster) ? cluster.replace(EMOJI_PARTS, "") : cluster),
  );
}

/**
 * A display name as it will be stored (NFKC, trimmed, inner spaces collapsed), or why not:
 * names are read by others, so nothing invisible, reordering or stacked may hide in one.
 */
export function checkDisplayName(input: string): Checked {
  const normalized = input.normalize("NFKC");
  // Before spaces are collapsed, or a line break inside would pass as a space.
  if (CONTROL.test(normalized.trim()))
    return { ok: false, error: "Names cannot contain line breaks or control characters." };
  const name = normalized.trim().replace(/\s+/gu, " ");
  if (name.length === 0) return { ok: false, error: "Please enter a name." };
  const clusters = graphemes(name);
  if (clusters.length > NAME_MAX_LENGTH || name.length > NAME_MAX_UNITS)
    return { ok: false, error: `Names are at most ${NAME_MAX_LENGTH} characters.` };
  if (hasInvisible(clusters))
    return { ok: false, error: "Names cannot contain invisible or direction-changing characters." };
  // Decomposed, so a precomposed letter counts its own accent too.
  if (COMBINING_RUN.test(name.normalize("NFD")))
    return { ok: false, error: "Names cannot stack accents or marks on one letter." };
  if (!VISIBLE.test(name)) return { ok: false, error: "Please enter a name people can read." };
  return { ok: true, value: name };
}

let rgiEmoji: RegExp | undefined;
/** An RGI emoji (keycaps, flags, ZWJ sequences, skin tones). Made on first use: a browser without
 * the `v` flag (before 2023) gets a looser check, and the server (Node 20 has it) the strict one. */
function emojiPattern(): RegExp {
  try {
    rgiEmoji ??= new RegExp("^\\p{RGI_Emoji}$", "v");
  } catch {
    rgiEmoji = EMOJI;
  }
  return rgiEmoji;
}

/** Whether `text` is exactly one emoji as people see it (one grapheme): what a reaction may be. */
export function isOneEmoji(text: string): boolean {
  return text.length <= 64 && graphemes(text).length === 1 && emojiPattern().test(text);
}
