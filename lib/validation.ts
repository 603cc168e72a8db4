// The rules for what people type, shared by the forms, the server actions and the socket layer.
import { z } from "zod";
import { isRoomCode, normalizeRoomCode } from "./room-code";

export const NAME_MAX_LENGTH = 32;
export const MESSAGE_MAX_LENGTH = 2000;

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, "Please enter a name.")
  .max(NAME_MAX_LENGTH, `Names are at most ${NAME_MAX_LENGTH} characters.`)
  // Control characters would let a name forge line breaks or invisible look-alikes.
  .refine((name) => !/[\p{Cc}\p{Cf}]/u.test(name), "Names cannot contain control characters.");

/** A code as typed: empty is its own error, anything else is normalised before it is checked. */
export const roomCodeSchema = z
  .string()
  .transform(normalizeRoomCode)
  .refine((code) => code.length > 0, "Please enter a room code.")
  .refine(isRoomCode, "Room does not exist.");

export const messageBodySchema = z
  .string()
  .trim()
  .min(1, "A message cannot be empty.")
  .max(MESSAGE_MAX_LENGTH, `Messages are at most ${MESSAGE_MAX_LENGTH} characters.`);

/** The first human-readable error of a failed parse. */
export function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? "Invalid input.";
}
