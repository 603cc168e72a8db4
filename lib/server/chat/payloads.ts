// Runtime checks of what clients send, one schema per payload type of the contract: a schema that
// drifts from its type in lib/chat-events.ts breaks the build.
import { z } from "zod";
import {
  PASSPHRASE_MAX_LENGTH,
  PASSPHRASE_MIN_LENGTH,
  ROOM_NAME_MAX_LENGTH,
  FILE_ID_PATTERN,
  MAX_ATTACHMENTS,
  type HandshakeAuth,
  type HistoryAfterPayload,
  type HistoryBeforePayload,
  type MessageActionPayload,
  type OwnerAction,
  type ReadPayload,
  type SendMessagePayload,
  type TypingPayload,
} from "@/lib/chat-events";
import { checkMessageBody, isOneEmoji } from "@/lib/text-rules";

export const clientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "Invalid message id.");
export const fileIdSchema = z.string().regex(FILE_ID_PATTERN, "Invalid file id.");

const seqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** A message referred to by its sequence: sequences start at 1. */
const targetSeqSchema = seqSchema.min(1, "Invalid message sequence.");

export const sendMessageSchema = z
  .strictObject({
    clientId: clientIdSchema,
    body: z.string(),
    attachments: z.array(fileIdSchema).min(1).max(MAX_ATTACHMENTS).optional(),
    replyTo: targetSeqSchema.optional(),
  })
  .transform((payload, context) => {
    // A message of files alone may have no text.
    if (payload.attachments && payload.body.trim() === "") return { ...payload, body: "" };
    const checked = checkMessageBody(payload.body);
    if (checked.ok) return { ...payload, body: checked.value };
    context.issues.push({ code: "custom", message: checked.error, input: payload.body });
    return z.NEVER;
  }) satisfies z.ZodType<SendMessagePayload, SendMessagePayload>;

export const historyAfterSchema = z.strictObject({ afterSeq: seqSchema }) satisfies z.ZodType<
  HistoryAfterPayload,
  HistoryAfterPayload
>;
export const historyBeforeSchema = z.strictObject({ beforeSeq: seqSchema }) satisfies z.ZodType<
  HistoryBeforePayload,
  HistoryBeforePayload
>;
export const typingSchema = z.strictObject({ typing: z.boolean() }) satisfies z.ZodType<
  TypingPayload,
  TypingPayload
>;
export const readSchema = z.strictObject({ seq: seqSchema }) satisfies z.ZodType<
  ReadPayload,
  ReadPayload
>;
export const handshakeAuthSchema = z.object({
  roomCode: z.string().min(1).max(20).optional(),
}) satisfies z.ZodType<HandshakeAuth, HandshakeAuth>;

const bodySchema = z.string().transform((body, context) => {
  const checked = checkMessageBody(body);
  if (checked.ok) return checked.value;
  context.issues.push({ code: "custom", message: checked.error, input: body });
  return z.NEVER;
});

export const emojiSchema = z.string().refine(isOneEmoji, "A reaction is one emoji.");

export const messageActionSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("edit"),
    clientId: clientIdSchema,
    seq: targetSeqSchema,
    body: bodySchema,
  }),
  z.strictObject({ type: z.literal("delete"), clientId: clientIdSchema, seq: targetSeqSchema }),
  z.strictObject({
    type: z.literal("react"),
    clientId: clientIdSchema,
    seq: targetSeqSchema,
    emoji: emojiSchema,
    on: z.boolean(),
  }),
]) satisfies z.ZodType<MessageActionPayload, MessageActionPayload>;

const roomNameSchema = z
  .string()
  .trim()
  .max(ROOM_NAME_MAX_LENGTH, `Room names are at most ${ROOM_NAME_MAX_LENGTH} characters.`)
  // Control and format characters would let a name forge line breaks or hide what it says; a
  // lone surrogate would be stored as U+FFFD, unlike the name members were sent.
  .refine(
    (name) => !/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u.test(name),
    "Room names cannot contain control characters.",
  );
const memberIdSchema = z.string().min(1).max(100);

/** Taken as typed (no trimming): the join form sends what the person types, byte for byte. */
export const passphraseSchema = z
  .string()
  .min(PASSPHRASE_MIN_LENGTH, `A passphrase has at least ${PASSPHRASE_MIN_LENGTH} characters.`)
  .max(PASSPHRASE_MAX_LENGTH, `A passphrase has at most ${PASSPHRASE_MAX_LENGTH} characters.`);

export const ownerActionSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("name"), name: roomNameSchema }),
  z.strictObject({ type: z.literal("lock"), locked: z.boolean() }),
  z.strictObject({ type: z.literal("remove"), userId: memberIdSchema }),
  z.strictObject({ type: z.literal("hand-over"), userId: memberIdSchema }),
  z.strictObject({ type: z.literal("passphrase"), passphrase: passphraseSchema.nullable() }),
  z.strictObject({ type: z.literal("delete") }),
]) satisfies z.ZodType<OwnerAction, OwnerAction>;
