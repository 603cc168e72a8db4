// The storage interface the chat is written against; SQLite is the embedded default.
import type {
  ChatMessage,
  Member,
  MemberRoom,
  MessageActionRefusal,
  OwnerRefusal,
  RoomState,
} from "@/lib/chat-events";
import type { StoredOwnerAction } from "./owner-rules";

export interface Room extends RoomState {
  code: string;
  createdAt: number;
  lastActiveAt: number;
}

/** A message before the store numbers it in its room: the store assigns `seq`. */
export type NewMessage = Omit<ChatMessage, "seq"> & {
  roomCode: string;
  /** Store it only while the author is a member (checked in the append's transaction), so a
   * member removed mid-send cannot post after the removal: the append answers null. */
  requireMember?: boolean;
};

/** Room activity is recorded this coarsely, so that a busy room's row is not rewritten per message. */
export const ACTIVITY_RESOLUTION_MS = 1000;

/**
 * Why a newcomer may not join: the room is locked, removed them, is gone, or its passphrase is
 * not the one the caller checked (set or changed since, or never checked).
 */
export type AdmissionRefusal = "locked" | "removed" | "room-gone" | "passphrase";

/** Joining through the form: refused when the room is locked to newcomers or removed this person. */
export type Admission =
  { admitted: true; outcome: JoinOutcome } | { admitted: false; reason: AdmissionRefusal };

/** A join refused before any name check: the room is locked to newcomers or removed this person. */
export type JoinRefusal = { kind: "refused"; reason: AdmissionRefusal };

export type OwnerOutcome =
  | { ok: false; reason: OwnerRefusal }
  | {
      ok: true;
      /** The room afterwards; null once deleted. */
      state: RoomState | null;
      /** The stored notice; null when nothing changed or the room is gone. */
      notice: ChatMessage | null;
      removed?: Member;
    };

export interface AppendResult {
  message: ChatMessage;
  /** True when this client id was already stored: `message` is the stored copy. */
  duplicate: boolean;
  /** A delete: the ids of the files its target had, for the file store to remove. */
  removedFiles?: string[];
}

/** A relation event the store would not apply to its target (see lib/message-relations.ts). */
export interface RefusedAppend {
  refused: MessageActionRefusal;
}

export type AppendAnswer = AppendResult | RefusedAppend | null;

export const isRefused = (answer: AppendAnswer): answer is RefusedAppend =>
  answer !== null && "refused" in answer;

/** A member with the room they belong to (sweeps look across rooms). */
export interface RoomMember extends Member {
  roomCode: string;
}

/** What `addMember` did: the caller stores the matching notice. */
export type JoinOutcome =
  | { kind: "joined" }
  | { kind: "renamed"; previousName: string }
  | { kind: "unchanged" }
  /** Another member's name reads the same (ignoring case and look-alike characters). */
  | { kind: "name-taken" };

/** Where a returning member comes back from: absent for a while, or away long enough to be announced. */
export type Return = "absent" | "away";

export interface ChatStore {
  /** False when the code is taken. */
  createRoom(code: string, now: number): Promise<boolean>;
  getRoom(code: string): Promise<Room | null>;
  /** The owner's passphrase as stored (an scrypt hash, lib/server/passphrase); null when none. */
  passphraseHash(code: string): Promise<string | null>;
  /**
   * Stores a message with the room's next sequence number, or returns the stored copy when
   * its client id was seen before. Null when the room no longer exists. The room counts as
   * active from the message's time on (to within `ACTIVITY_RESOLUTION_MS`).
   *
   * A reply (`replyTo`) must answer a text message of the room, and comes back with its quote.
   * A relation event (`relatesTo`) is decided on its target as stored, in the same transaction
   * (lib/message-relations.ts): refused with a reason, or applied to the target, which records
   * the event's seq as its `version`. A delete also empties the bodies of the target's edits.
   */
  appendMessage(message: NewMessage): Promise<AppendAnswer>;
  /**
   * `appendMessage` for several messages in one transaction, answered in the same order: the
   * rooms' sequence numbers follow the array's order. One failure fails them all.
   */
  appendMessages(messages: readonly NewMessage[]): Promise<AppendAnswer[]>;
  /** The newest `limit` messages, oldest first. */
  latestMessages(roomCode: string, limit: number): Promise<ChatMessage[]>;
  /** Up to `limit` messages just before `beforeSeq`, oldest first. */
  messagesBefore(roomCode: string, beforeSeq: number, limit: number): Promise<ChatMessage[]>;
  /** Up to `limit` messages after `afterSeq`, oldest first. */
  messagesAfter(roomCode: string, afterSeq: number, limit: number): Promise<ChatMessage[]>;

  /**
   * Makes someone a member of a room, or renames a member (both marked present: they are at the
   * form right now). A name is its member's until they leave: refused while another member's
   * name matches it (see lib/server/names).
   */
  addMember(roomCode: string, member: Member, now: number): Promise<JoinOutcome>;
  /** Whether another member of the room (present or not) goes by a name that reads the same. */
  isNameTaken(roomCode: string, name: string, userId: string): Promise<boolean>;

  /**
   * `addMember` for someone joining through the form from `address`: a member comes back even to
   * a locked room; a newcomer not to a locked one, nor anyone the owner removed (by person for the
   * room's life, by address until the lockout ends), nor a newcomer unless the room's passphrase
   * hash is still `passphraseHash`, the one the caller checked their passphrase against (null: the
   * room had none). Checked and joined in one transaction. `outcome` as addMember's answer.
   */
  admitMember(
    roomCode: string,
    member: Member,
    address: string,
    passphraseHash: string | null,
    now: number,
  ): Promise<Admission>;
  /**
   * An owner's action, decided and applied in one transaction with the room's row locked: the
   * actor's role is read from the store, and the notice takes the room's next sequence number.
   */
  ownerAction(
    roomCode: string,
    actorId: string,
    action: StoredOwnerAction,
    now: number,
  ): Promise<OwnerOutcome>;
  /**
   * After `fromUserId` left: if they owned the room, the member there longest (present ones
   * first) owns it now, with an `owner-passed` notice, which is returned. Null otherwise.
   */
  passOwnership(roomCode: string, fromUserId: string, now: number): Promise<ChatMessage | null>;
  /** Membership ends (they left): true when they were a member, so their departure is news. */
  removeMember(roomCode: string, userId: string): Promise<boolean>;
  /** Members of the room, present or not (the member cap counts them). */
  countMembers(roomCode: string): Promise<number>;
  /** Null when they never joined, left, or the room is gone: such a session may not connect. */
  getMember(roomCode: string, userId: string): Promise<Member | null>;
  /** A member's connection is back: where from, or null when they were present already. */
  markPresent(roomCode: string, userId: string, now: number): Promise<Return | null>;
  /** No connection for longer than the grace period: true when they were present. */
  markAbsent(roomCode: string, userId: string, now: number): Promise<boolean>;
  /**
   * Members absent since before `absentBefore` whose absence was not announced yet; each is
   * returned once (across nodes) and comes back from "away".
   */
  claimAwayNotices(absentBefore: number): Promise<RoomMember[]>;
  presentMembers(roomCode: string): Promise<Member[]>;
  /** Of these rooms, the ones `userId` is still a member of, in no particular order. */
  memberRooms(userId: string, roomCodes: readonly string[]): Promise<MemberRoom[]>;
  /** The member has seen the room up to `seq` (never beyond the room's last, never backwards). */
  markRead(roomCode: string, userId: string, seq: number): Promise<void>;
  /** Members marked present whom no node has vouched for since `seenBefore`. */
  staleMembers(seenBefore: number): Promise<RoomMember[]>;
  /** A node vouches for the members it holds connections of, and keeps their rooms alive. */
  touchPresence(rooms: ReadonlyMap<string, readonly string[]>, now: number): Promise<void>;
  /** Removes rooms, with their messages, idle since before `idleBefore` with nobody present. */
  deleteIdleRooms(idleBefore: number): Promise<string[]>;

  /** Rejects when the store cannot answer (readiness checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
