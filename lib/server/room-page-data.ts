// What the room page shows of a room: its newest messages and some of who is online. A hall
// joining by QR code renders this page hundreds of times within seconds, each render reading and
// sending the same rows, so it is kept per room for a moment; the page's socket catches up from
// the page's last message and sends the full online list at once. Only a request that passed its
// own membership check gets here, and the entry is the room's: keyed by code and creation time, so
// a deleted room's rows never show in a new room under the same code.
import { HISTORY_PAGE_SIZE, type ChatMessage, type Member } from "@/lib/chat-events";
import type { ChatStore, Room } from "./store/types";

export interface RoomPageData {
  messages: ChatMessage[];
  hasOlder: boolean;
  /** The first of the online members by name, and the viewer; the socket sends them all. */
  members: Member[];
  /** How many are online. */
  memberCount: number;
}

/** Long enough to serve a crowd's page loads from one read, short enough to look live. */
const FRESH_MS = 1000;
/** A server-rendered member list costs every page load its length: a crowd's is cut here. */
export const PAGE_MEMBERS_SHOWN = 50;
/** Rooms kept at most; expired entries are dropped once there are more. */
const MAX_ROOMS = 1000;

interface Entry {
  createdAt: number;
  readAt: number;
  data: Promise<RoomPageData>;
}

const cache = new Map<string, Entry>();

async function read(store: ChatStore, roomCode: string): Promise<RoomPageData> {
  // One extra row says whether there is anything older to scroll back to.
  const [latest, online] = await Promise.all([
    store.latestMessages(roomCode, HISTORY_PAGE_SIZE + 1),
    store.presentMembers(roomCode),
  ]);
  const hasOlder = latest.length > HISTORY_PAGE_SIZE;
  return {
    messages: hasOlder ? latest.slice(1) : latest,
    hasOlder,
    members: online.slice(0, PAGE_MEMBERS_SHOWN),
    memberCount: online.length,
  };
}

function forgetExpired(now: number): void {
  if (cache.size < MAX_ROOMS) return;
  for (const [code, entry] of cache) if (now - entry.readAt >= FRESH_MS) cache.delete(code);
}

/** The room page's data for `viewer`, a member of `room`, who is always in the list. */
export async function roomPageData(
  store: ChatStore,
  room: Room,
  viewer: Member,
  now = Date.now(),
): Promise<RoomPageData> {
  let entry = cache.get(room.code);
  if (!entry || entry.createdAt !== room.createdAt || now - entry.readAt >= FRESH_MS) {
    forgetExpired(now);
    entry = { createdAt: room.createdAt, readAt: now, data: read(store, room.code) };
    cache.set(room.code, entry);
    const current = entry;
    // A failed read is not kept: the next page load tries again.
    current.data.catch(() => {
      if (cache.get(room.code) === current) cache.delete(room.code);
    });
  }
  const data = await entry.data;
  if (data.members.some((member) => member.userId === viewer.userId)) return data;
  // Joined after the read, or listed beyond the cut (then counted already): the viewer sees
  // themself all the same. The socket's full list corrects the count a moment later.
  const members = [...data.members, viewer].sort((a, b) => a.name.localeCompare(b.name));
  const counted = data.memberCount > data.members.length;
  return { ...data, members, memberCount: data.memberCount + (counted ? 0 : 1) };
}
