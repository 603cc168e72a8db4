// Files attached to a message being written, independent of React: each uploads at once under
// the message's client id and its index (so a retry is stored once), reports its progress, can
// be cancelled, and retries by itself after a network failure. The message is sent when all are stored.
import {
  fileUploadUrl,
  MAX_ATTACHMENTS,
  type Attachment,
  type ErrorCode,
  type UploadResult,
} from "@/lib/chat-events";
import { formatBytes } from "@/lib/file-size";
import { newClientId } from "./client-id";

export type PendingFile = {
  /** Its upload key within the message. */
  index: number;
  name: string;
  size: number;
  /** Bytes sent so far. */
  sent: number;
} & (
  | { status: "uploading" }
  | { status: "stored"; attachment: Attachment }
  | { status: "refused"; code: ErrorCode | "network"; error: string }
);

export interface DraftUploads {
  /** The client id the message will be sent with. */
  clientId: string;
  files: readonly PendingFile[];
}

const MAX_TRIES = 5;

/** One upload by XHR, the one browser API that reports upload progress. */
function sendFile(
  url: string,
  file: Blob,
  name: string,
  onProgress: (sent: number) => void,
): { done: Promise<UploadResult | "network">; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadResult | "network">((resolve) => {
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 500 || xhr.status === 0) return resolve("network");
      try {
        resolve(JSON.parse(xhr.responseText) as UploadResult);
      } catch {
        resolve("network");
      }
    };
    xhr.onerror = () => resolve("network");
    xhr.onabort = () => resolve("network");
  });
  const form = new FormData();
  form.append("file", file, name);
  xhr.open("POST", url);
  xhr.send(form);
  return { done, abort: () => xhr.abort() };
}

/** Stored attachments, in order, once every file is stored; null while any is not. */
export function readyAttachments(uploads: DraftUploads): Attachment[] | null {
  const stored = uploads.files.flatMap((file) =>
    file.status === "stored" ? [file.attachment] : [],
  );
  return stored.length === uploads.files.length ? stored : null;
}

export interface UploadDraft {
  getSnapshot(): DraftUploads;
  subscribe(listener: () => void): () => void;
  /** Adds files; answers a message for those refused before uploading (too large, too many). */
  add(files: readonly File[]): string | null;
  /** Cancels an upload (or forgets a refused one). */
  remove(index: number): void;
  /** Stored attachments, in order, once every file is stored; null while any is not. */
  ready(): Attachment[] | null;
  /** The message went out: the next draft gets a new client id. */
  reset(): void;
  /** Stops uploads under way (the room is left). */
  close(): void;
}

export function createUploadDraft(roomCode: string, limits: { fileBytes: number }): UploadDraft {
  let snapshot: DraftUploads = { clientId: newClientId(), files: [] };
  let nextIndex = 0;
  const listeners = new Set<() => void>();
  const aborts = new Map<number, () => void>();

  function update(index: number, change: Partial<PendingFile>): void {
    if (!snapshot.files.some((file) => file.index === index)) return;
    snapshot = {
      ...snapshot,
      files: snapshot.files.map((file) =>
        file.index === index ? ({ ...file, ...change } as PendingFile) : file,
      ),
    };
    listeners.forEach((listener) => listener());
  }

  async function upload(clientId: string, index: number, file: File): Promise<void> {
    const url = fileUploadUrl(roomCode, clientId, index);
    for (let attempt = 1; ; attempt++) {
      const request = sendFile(url, file, file.name, (sent) => update(index, { sent }));
      aborts.set(index, request.abort);
      const result = await request.done;
      if (!aborts.has(index) || snapshot.clientId !== clientId) return; // Cancelled meanwhile.
      if (result !== "network") {
        aborts.delete(index);
        return update(
          index,
          result.ok
            ? { status: "stored", attachment: result.file, sent: file.size }
            : { status: "refused", code: result.code, error: result.error },
        );
      }
      if (attempt >= MAX_TRIES) {
        aborts.delete(index);
        return update(index, {
          status: "refused",
          code: "network",
          error: "Could not upload: check the connection and try again.",
        });
      }
      // The same key again: a copy the server already stored is answered, not stored twice.
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    add(files) {
      const room = MAX_ATTACHMENTS - snapshot.files.length;
      const tooLarge = files.filter((file) => file.size > limits.fileBytes);
      const accepted = files.filter((file) => file.size <= limits.fileBytes).slice(0, room);
      const added = accepted.map((file) => ({
        file,
        pending: {
          index: nextIndex++,
          name: file.name || "pasted image",
          size: file.size,
          sent: 0,
          status: "uploading",
        } satisfies PendingFile,
      }));
      if (added.length > 0) {
        snapshot = { ...snapshot, files: [...snapshot.files, ...added.map((a) => a.pending)] };
        listeners.forEach((listener) => listener());
        for (const { file, pending } of added) void upload(snapshot.clientId, pending.index, file);
      }
      if (tooLarge.length > 0)
        return `${tooLarge.map((file) => file.name).join(", ")}: files can be at most ${formatBytes(limits.fileBytes)}.`;
      if (accepted.length < files.length - tooLarge.length)
        return `At most ${MAX_ATTACHMENTS} files per message.`;
      return null;
    },
    remove(index) {
      const abort = aborts.get(index);
      aborts.delete(index);
      abort?.();
      snapshot = { ...snapshot, files: snapshot.files.filter((file) => file.index !== index) };
      listeners.forEach((listener) => listener());
    },
    ready: () => readyAttachments(snapshot),
    reset() {
      aborts.forEach((abort) => abort());
      aborts.clear();
      snapshot = { clientId: newClientId(), files: [] };
      nextIndex = 0;
      listeners.forEach((listener) => listener());
    },
    close() {
      aborts.forEach((abort) => abort());
      aborts.clear();
    },
  };
}
