// The rules for what people type, shared by the forms, the server actions and the socket layer.
import { z } from "zod";
import { isRoomCode, normalizeRoomCode, ROOM_CODE_LENGTH } from "./room-code";
import { checkDisplayName, checkMessageBody, type Checked } from "./text-rules";

/** A zod string schema that stores what a text rule returns, or fails with its message. */
const textRule = (check: (input: string) => Checked) =>
  z.string().transform((input, context) => {
    const checked = check(input);
    if (checked.ok) return checked.value;
    context.issues.push({ code: "custom", message: checked.error, input });
    return z.NEVER;
  });

/** Forms, server actions and the store agree on one rule: see checkDisplayName. */
export const displayNameSchema = textRule(checkDisplayName);

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
export const messageBodySchema = textRule(checkMessageBody);

/** The first human-readable error of a failed parse. */
export function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? "Invalid input.";
}
