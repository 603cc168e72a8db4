// Messages typed and not yet stored. They go out one at a time in the order they were typed, so
// the room sees them in that order whatever happens to one of them: no answer or a passing server
// failure is retried with backoff, "too fast" waits the time the server names and tries again,
// and the ones behind wait their turn. Only a refusal a retry cannot fix asks the person.
import type { Attachment, ChatMessage, ErrorCode, SendMessagePayload } from "@/lib/chat-events";

export interface OutboxItem {
  clientId: string;
  body: string;
  /** Files already stored under this client id, sent with it. */
  attachments?: Attachment[];
  /** The sequence of the message it answers. */
  replyTo?: number;
  /** Refused in a way a retry cannot fix: shown with Retry and Discard. */
  failure?: { code: ErrorCode; error: string };
  /** Refused as too fast: goes out again by itself at this time (ms since the epoch). */
  heldUntil?: number;
}

/** The server's answer to one attempt, or null when none came (timeout, disconnect). */
export type SendAnswer =
  | { ok: true; message: ChatMessage }
  | { ok: false; code: ErrorCode; error: string; retryAfterMs?: number }
  | null;

/** Where the outbox survives a refresh (localStorage in the browser). */
export interface OutboxStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface OutboxOptions {
  /** Sends one message; resolves with the server's answer. */
  transmit: (payload: SendMessagePayload) => Promise<SendAnswer>;
  /** Whether anything can be sent now (the socket is connected). */
  canSend: () => boolean;
  /** The items changed (a new array each time). */
  onChange: (items: readonly OutboxItem[]) => void;
  /** The server stored a message: the history takes it, and `delivered` follows. */
  onStored: (message: ChatMessage) => void;
  storage?: OutboxStorage;
  storageKey?: string;
  now?: () => number;
}

export interface Outbox {
  readonly items: readonly OutboxItem[];
  add(item: OutboxItem): void;
  /** A failed message goes back in the queue, behind what is already waiting. */
  retry(clientId: string): void;
  discard(clientId: string): void;
  /** Copies of these messages reached the history (acknowledged, broadcast or caught up). */
  delivered(clientIds: ReadonlySet<string>): void;
  /** Sends the next message if nothing is on its way: call on (re)connect. */
  flush(): void;
  /** The connection dropped: an attempt on it will never be answered. */
  reset(): void;
  close(): void;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_DELAY_MS = 15_000;
/** When a "too fast" refusal names no wait. */
const DEFAULT_HOLD_MS = 1000;
/** Refusals that another attempt may turn into a stored message. */
const PASSING: ReadonlySet<ErrorCode> = new Set(["unavailable", "rate-limited"]);

export function createOutbox(options: OutboxOptions): Outbox {
  const { transmit, canSend, onChange, onStored, storage, storageKey, now = Date.now } = options;
  let items: readonly OutboxItem[] = load();
  /** The attempt on its way; an answer to any other (an earlier connection's) settles nothing. */
  let sending: { clientId: string; attempt: symbol } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Unanswered attempts in a row, for the backoff. */
  let misses = 0;
  let closed = false;

  function load(): OutboxItem[] {
    if (!storage || !storageKey) return [];
    try {
      const stored: unknown = JSON.parse(storage.getItem(storageKey) ?? "[]");
      return Array.isArray(stored)
        ? stored.filter(
            (item): item is OutboxItem =>
              typeof item?.clientId === "string" && typeof item?.body === "string",
          )
        : [];
    } catch {
      return [];
    }
  }

  function set(next: readonly OutboxItem[]): void {
    items = next;
    if (storage && storageKey) {
      try {
        storage.setItem(storageKey, JSON.stringify(items));
      } catch {
        // A full or disabled storage only costs persistence across refreshes.
      }
    }
    onChange(items);
  }

  function patch(clientId: string, change: Partial<OutboxItem>): void {
    set(items.map((item) => (item.clientId === clientId ? { ...item, ...change } : item)));
  }

  function wake(delay: number): void {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      flush();
    }, delay);
  }

  function flush(): void {
    if (closed || sending || timer !== undefined || !canSend()) return;
    const next = items.find((item) => !item.failure);
    if (!next) return;
    const wait = (next.heldUntil ?? 0) - now();
    if (wait > 0) return wake(wait);
    const attempt = Symbol(next.clientId);
    sending = { clientId: next.clientId, attempt };
    transmit(payload(next)).then(
      (answer) => settle(next.clientId, attempt, answer),
      () => settle(next.clientId, attempt, null),
    );
  }

  function settle(clientId: string, attempt: symbol, answer: SendAnswer): void {
    if (closed) return;
    if (answer?.ok) {
      misses = 0;
      return onStored(answer.message);
    }
    if (sending?.attempt !== attempt) return;
    sending = null;
    if (answer === null || answer.code === "unavailable") {
      misses++;
      const backoff = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_MS * 2 ** (misses - 1));
      return wake(backoff * (0.75 + Math.random() / 2));
    }
    if (PASSING.has(answer.code)) {
      patch(clientId, { heldUntil: now() + (answer.retryAfterMs ?? DEFAULT_HOLD_MS) });
    } else {
      patch(clientId, {
        failure: { code: answer.code, error: answer.error },
        heldUntil: undefined,
      });
    }
    flush();
  }

  return {
    get items() {
      return items;
    },
    add(item) {
      set([...items, item]);
      flush();
    },
    retry(clientId) {
      const item = items.find((entry) => entry.clientId === clientId);
      if (!item?.failure) return;
      const rest = items.filter((entry) => entry.clientId !== clientId);
      set([...rest, { ...item, failure: undefined }]);
      flush();
    },
    discard(clientId) {
      if (sending?.clientId === clientId) sending = null;
      set(items.filter((item) => item.clientId !== clientId));
      flush();
    },
    delivered(clientIds) {
      if (!items.some((item) => clientIds.has(item.clientId))) return;
      if (sending && clientIds.has(sending.clientId)) sending = null;
      set(items.filter((item) => !clientIds.has(item.clientId)));
      flush();
    },
    flush,
    reset() {
      sending = null;
      misses = 0;
      clearTimeout(timer);
      timer = undefined;
    },
    close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      sending = null;
    },
  };
}

function payload(item: OutboxItem): SendMessagePayload {
  const { clientId, body, attachments, replyTo } = item;
  return {
    clientId,
    body,
    ...(attachments ? { attachments: attachments.map((file) => file.id) } : {}),
    ...(replyTo !== undefined ? { replyTo } : {}),
  };
}
