// The rules for what people type, shared by the forms, the server actions and the socket layer.
import { z } from "zod";
import { isRoomCode, normalizeRoomCode, ROOM_CODE_LENGTH } from "./room-code";
import { checkMessageBody, NAME_MAX_LENGTH } from "./text-rules";

export { MESSAGE_MAX_LENGTH, NAME_MAX_LENGTH } from "./text-rules";

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
  .refine(
    (code) => code.length === ROOM_CODE_LENGTH,
    `Room codes have ${ROOM_CODE_LENGTH} characters.`,
  )
  // Says what a code looks like, not whether a room exists: only the rate-limited join action
  // may answer that.
  .refine(isRoomCode, "This is not a room code: codes have no 0, 1, I, L or O.");

/** The browser checks a message with the same function before sending it. */
export const messageBodySchema = z.string().transform((body, context) => {
  const checked = checkMessageBody(body);
  if (checked.ok) return checked.value;
  context.issues.push({ code: "custom", message: checked.error, input: body });
  return z.NEVER;
});

/** The first human-readable error of a failed parse. */
export function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? "Invalid input.";
}
