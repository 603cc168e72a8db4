"use client";
// What a message row may do besides showing itself: reply, react, edit, delete, jump to the
// message a reply quotes. The room provides it; rows read it instead of threading props.
import { createContext, useContext } from "react";
import type { ChatMessage } from "@/lib/chat-events";

export interface MessageActions {
  selfId: string;
  /** False once the room has ended for this page: nothing can be changed. */
  enabled: boolean;
  /** A loaded message by sequence (for a reply's quote, as the original is now). */
  find: (seq: number) => ChatMessage | undefined;
  reply: (message: ChatMessage) => void;
  edit: (message: ChatMessage) => void;
  /** Resolves with why it was refused, or null. */
  remove: (seq: number) => Promise<string | null>;
  react: (seq: number, emoji: string, on: boolean) => Promise<string | null>;
  jumpTo: (seq: number) => void;
}

export const MessageActionsContext = createContext<MessageActions | null>(null);

export function useMessageActions(): MessageActions | null {
  return useContext(MessageActionsContext);
}
