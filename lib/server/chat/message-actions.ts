// Edits, deletes and reactions over the socket. Each is stored as a relation event in the room's
// sequence through the same ordered log as messages, and takes a token from the same message
// budgets; the store decides it on the target as stored (author, deleted, reaction bound).
import type { ChatMessage, Result } from "@/lib/chat-events";
import { firstIssue } from "@/lib/validation";
import type { NewMessage } from "../store/types";
import { messageActionSchema } from "./payloads";
import type { ChatSocket } from "./types";

/** What a member writes to the room's sequence; the handler adds who, where and when. */
export type MemberWrite = Pick<NewMessage, "clientId" | "kind" | "body"> &
  Partial<Pick<NewMessage, "attachments" | "replyTo" | "relatesTo">>;

export type StoredAnswer = Result<{ message: ChatMessage }>;

export interface MessageActionDeps {
  rateLimited: () => Promise<Result | null>;
  storeAs: (write: MemberWrite) => Promise<StoredAnswer>;
  answer: <T extends object>(ack: unknown, context: string, work: () => Promise<Result<T>>) => void;
  inOrder: <T>(work: () => Promise<T>) => Promise<T>;
}

export function registerMessageActions(socket: ChatSocket, deps: MessageActionDeps): void {
  const { rateLimited, storeAs, answer, inOrder } = deps;

  async function act(payload: unknown): Promise<StoredAnswer> {
    const parsed = messageActionSchema.safeParse(payload);
    if (!parsed.success) return { ok: false, code: "invalid", error: firstIssue(parsed.error) };
    const limited = await rateLimited();
    if (limited && !limited.ok) return limited;
    const action = parsed.data;
    const relation = { clientId: action.clientId, relatesTo: action.seq };
    switch (action.type) {
      case "edit":
        return storeAs({ ...relation, kind: "edit", body: action.body });
      case "delete":
        return storeAs({ ...relation, kind: "delete", body: "" });
      case "react":
        return storeAs({
          ...relation,
          kind: action.on ? "reaction" : "reaction-removed",
          body: action.emoji,
        });
    }
  }

  socket.on("message:action", (payload, ack) => {
    answer(ack, "message:action", () => inOrder(() => act(payload)));
  });
}
