// How many people each bench socket believes are present: the list it got on connecting, then the
// joined/left notices, the way the room page keeps its member list.
import type { ChatMessage, Member } from "@/lib/chat-events";

export interface PresenceCounter {
  onPresence(socket: number, members: readonly Member[]): void;
  onMessage(socket: number, message: Pick<ChatMessage, "kind" | "authorId">): void;
  /** True when every socket counts at least `size` present. */
  allSee(size: number): boolean;
}

export function createPresenceCounter(sockets: number): PresenceCounter {
  const present = Array.from({ length: sockets }, () => new Set<string>());
  return {
    onPresence(socket, members) {
      present[socket] = new Set(members.map((member) => member.userId));
    },
    onMessage(socket, message) {
      if (message.kind === "joined") present[socket]?.add(message.authorId);
      else if (message.kind === "left") present[socket]?.delete(message.authorId);
    },
    allSee(size) {
      return present.every((members) => members.size >= size);
    },
  };
}
