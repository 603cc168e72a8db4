// Catch-up: after a reconnect, or when a live message shows a gap, ask for every message after
// the last one held without a gap, page by page until the server has no more. One run at a time;
// a request during a run makes it go round once more, so nothing that arrived meanwhile is missed.
import type { ChatMessage, HistoryPage } from "@/lib/chat-events";
import { contiguousSeq } from "./message-timeline";

export interface CatchUpOptions {
  /** One page after `afterSeq`; null when the server refused or did not answer. */
  fetchAfter: (afterSeq: number) => Promise<HistoryPage | null>;
  /** The history held now. */
  messages: () => readonly ChatMessage[];
  /** Puts a page into the history. */
  receive: (messages: readonly ChatMessage[]) => void;
  /** Whether requests can be made now. */
  canFetch: () => boolean;
}

export function createCatchUp(options: CatchUpOptions): () => Promise<void> {
  const { fetchAfter, messages, receive, canFetch } = options;
  let running = false;
  let again = false;

  return async function catchUp(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        let more = true;
        while (more && canFetch()) {
          const page = await fetchAfter(contiguousSeq(messages()));
          // Refused or unanswered: the next connection catches up again.
          if (!page) return;
          receive(page.messages);
          more = page.hasMore;
        }
      } while (again && canFetch());
    } finally {
      running = false;
    }
  };
}
