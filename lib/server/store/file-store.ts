// The storage interface for uploaded files, next to ChatStore: bytes go in and out as streams,
// never whole in memory. Local disk is the default; PostgreSQL when several nodes share files.
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import type { Attachment } from "@/lib/chat-events";

export interface StoredFile extends Attachment {
  roomCode: string;
  uploaderId: string;
  /** The upload's key: the client id of the message it belongs to and its index there. */
  clientId: string;
  index: number;
  createdAt: number;
}

/** What an upload knows before its bytes are stored; the store measures the size itself. */
export type NewFile = Omit<StoredFile, "id" | "size" | "thumbnail">;

export type FileVariant = "original" | "thumbnail";

export interface FileContent {
  original: Readable;
  /** Images: a small preview, served separately. */
  thumbnail?: Readable;
  /**
   * Where these same bytes already lie as files of their own (a received upload): a store on the
   * same disk moves them into place instead of copying them through the process a second time.
   */
  movable?: { original: string; thumbnail?: string };
}

/** Inclusive byte offsets, as in an HTTP range. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface FileStore {
  /** The file stored under an upload key, so a retried upload is answered without a second copy. */
  findUpload(roomCode: string, clientId: string, index: number): Promise<StoredFile | null>;
  /**
   * Streams the content in and records the file under a new random id. When its upload key was
   * stored meanwhile, the new content is dropped and the stored file returned (`duplicate`).
   * A failing stream leaves nothing behind.
   */
  saveFile(file: NewFile, content: FileContent): Promise<{ file: StoredFile; duplicate: boolean }>;
  /** Null for an unknown id or one of another room. */
  getFile(roomCode: string, id: string): Promise<StoredFile | null>;
  /** The bytes of a stored file (a range of them when given); null when it is not stored. */
  readFile(
    roomCode: string,
    id: string,
    variant: FileVariant,
    range?: ByteRange,
  ): Promise<Readable | null>;
  /**
   * Removes one file with its preview and frees its upload key (an upload given up on before its
   * message was sent, or its message deleted). Nothing happens for an unknown id.
   */
  deleteFile(roomCode: string, id: string): Promise<void>;
  /** Bytes of the originals stored for a room, for its quota. */
  roomBytes(roomCode: string): Promise<number>;
  /** Removes every file of a room: called whenever a room is deleted. */
  deleteRoom(roomCode: string): Promise<void>;
  /** Rejects when the store cannot answer (readiness checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** 128 random bits as 22 URL-safe characters: unguessable, and never a path. */
export function newFileId(): string {
  return randomBytes(16).toString("base64url");
}

const SAFE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Room codes, ids and client ids become names of files and rows: refuse anything else loudly. */
export function assertSafeName(...names: string[]): void {
  for (const name of names)
    if (!SAFE_NAME.test(name)) throw new Error(`Unsafe name for the file store: ${name}`);
}
