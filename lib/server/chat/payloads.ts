// Runtime checks of what clients send, one schema per payload type of the contract: a schema that
// drifts from its type in lib/chat-events.ts breaks the build.
import { z } from "zod";
import type {
  HistoryAfterPayload,
  HistoryBeforePayload,
  SendMessagePayload,
  TypingPayload,
} from "@/lib/chat-events";
import { messageBodySchema } from "@/lib/validation";

const clientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "Invalid message id.");

export const sendMessageSchema = z.strictObject({
  clientId: clientIdSchema,
  body: messageBodySchema,
}) satisfies z.ZodType<SendMessagePayload, SendMessagePayload>;

const seqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
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
