// Who is in which room, in three layers: membership (joined with the form, until Leave room or
// the room expires), presence (online now, across tabs, nodes and reconnects) and notices (the
// stored lines). Presence changes are ephemeral events; a notice is stored only for membership,
// renames, and absences longer than the away window, so refreshes, blips and short breaks leave
// no lines. The store's present flag is the shared truth across nodes and restarts.
import type {
  ChatMessage,
  Member,
  MessageKind,
  PresenceChange,
  RoomState,
  SessionEndReason,
} from "@/lib/chat-events";
import type { InFlight } from "../in-flight";
import type { FileStore } from "../store/file-store";
import type { ChatStore, JoinOutcome, JoinRefusal, Room } from "../store/types";
import type { Arrival, MessageLog } from "./message-log";
import { createRoomWindows } from "./room-windows";
import { memberChannel, roomChannel, type ChatServer, type ChatSocket } from "./types";

export interface RoomMembership {
  /**
   * A person joined through the home page from `address` (refused when the room is locked to
   * them, its owner removed them, or its passphrase is not `passphraseHash`, the one their
   * passphrase was checked against): a new member is announced, a member with a new name
   * is announced as renamed (their open tabs write under it), a taken name changes nothing.
   */
  join(
    roomCode: string,
    member: Member,
    address?: string,
    passphraseHash?: string | null,
  ): Promise<JoinOutcome | JoinRefusal>;
  /**
   * A person left: membership ends at once, and their open tabs are told and disconnected.
   * An owner's leaving passes the room on to the member there longest.
   */
  leave(roomCode: string, userId: string): Promise<void>;
  /** The owner removed someone (the store already did): their tabs end on every node. */
  removed(roomCode: string, userId: string): Promise<void>;
  /** The owner deleted the room (the store already did): its files go, every tab is sent home. */
  deleted(roomCode: string): Promise<void>;
  /**
   * A stored owner notice goes out with the room's state, which it changed. Called within the
   * room's exclusive step of the message log, so it keeps its place in the room's order.
   */
  ownerNotice(roomCode: string, notice: ChatMessage, state: RoomState): void;
  connected(socket: ChatSocket): Promise<void>;
  disconnected(socket: ChatSocket): void;
  stop(): void;
}

interface LocalMember {
  sockets: number;
  leaveTimer?: NodeJS.Timeout;
}

export interface MembershipOptions {
  io: ChatServer;
  store: ChatStore;
  /** A deleted room's files go with it. */
  files: FileStore;
  messageLog: MessageLog;
  inFlight: InFlight;
  /** How long a member may be without a connection before they show as offline. */
  graceMs: number;
  /** How long a member may be offline before "left" is stored (and "joined" when they return). */
  awayNoticeMs: number;
  roomIdleMs: number;
  /** How often this node vouches for its members and sweeps stale ones and idle rooms. */
  sweepIntervalMs: number;
  /** Other nodes hold sockets too (an adapter that can tell them about renames). */
  crossNode?: boolean;
  onError: (error: unknown, context: string) => void;
  now?: () => number;
}

const roomState = ({ name, locked, ownerId, hasPassphrase }: Room): RoomState => ({
  name,
  locked,
  ownerId,
  hasPassphrase,
});

/** Members vouched for per store call during a sweep. */
const VOUCH_BATCH = 1000;
/** Online lists of a crowd's arrivals are updated this often, not once per person. */
export const PRESENCE_GROUP_MS = 250;

export function createRoomMembership(options: MembershipOptions): RoomMembership {
  const {
    io,
    store,
    files,
    messageLog,
    inFlight,
    graceMs,
    awayNoticeMs,
    roomIdleMs,
    sweepIntervalMs,
    crossNode = false,
    onError,
    now = Date.now,
  } = options;
  /** Connections this node holds, by room, then person. */
  const local = new Map<string, Map<string, LocalMember>>();

  function localMember(roomCode: string, userId: string): LocalMember {
    let room = local.get(roomCode);
    if (!room) local.set(roomCode, (room = new Map()));
    let member = room.get(userId);
    if (!member) room.set(userId, (member = { sockets: 0 }));
    return member;
  }

  function forgetLocal(roomCode: string, userId: string): void {
    const room = local.get(roomCode);
    const member = room?.get(userId);
    if (!room || !member) return;
    clearTimeout(member.leaveTimer);
    room.delete(userId);
    if (room.size === 0) local.delete(roomCode);
  }

  /** A renamed notice, stored and delivered before the caller goes on. */
  async function announce(
    roomCode: string,
    kind: Exclude<MessageKind, "text" | Arrival["kind"]>,
    member: Member,
    body = "",
  ): Promise<void> {
    await messageLog.append({
      roomCode,
      clientId: null,
      kind,
      authorId: member.userId,
      authorName: member.name,
      body,
      createdAt: now(),
    });
  }

  /**
   * A joined or left notice: stored at once in a quiet room, grouped with others in a crowd
   * (the message log holds it for a moment); nobody waits for it, shutdown does.
   */
  function arrival(roomCode: string, kind: Arrival["kind"], member: Member): void {
    inFlight
      .run(() => messageLog.announce({ roomCode, kind, member, createdAt: now() }))
      .catch((error: unknown) => onError(error, `${kind} notice`));
  }

  const presence = createRoomWindows<PresenceChange>(PRESENCE_GROUP_MS, (roomCode, changes) =>
    io.to(roomChannel(roomCode)).emit("presence:changes", { changes }),
  );
  /** Online lists follow these; nothing is stored. */
  function presenceChanged(roomCode: string, member: Member, online: boolean): void {
    presence.add(roomCode, { userId: member.userId, name: member.name, online });
  }

  async function goOffline(roomCode: string, member: Member): Promise<void> {
    if (await store.markAbsent(roomCode, member.userId, now()))
      presenceChanged(roomCode, member, false);
  }

  /** Every tab of one member, on any node, is told why and disconnected. */
  function endMember(roomCode: string, userId: string, reason: SessionEndReason): void {
    forgetLocal(roomCode, userId);
    io.to(memberChannel(roomCode, userId)).emit("session:ended", { reason });
    io.in(memberChannel(roomCode, userId)).disconnectSockets(true);
  }

  async function endRoom(roomCode: string, reason: SessionEndReason): Promise<void> {
    await files.deleteRoom(roomCode);
    local.get(roomCode)?.forEach((member) => clearTimeout(member.leaveTimer));
    local.delete(roomCode);
    io.to(roomChannel(roomCode)).emit("session:ended", { reason });
    io.in(roomChannel(roomCode)).disconnectSockets(true);
  }

  function broadcastOwnerNotice(roomCode: string, notice: ChatMessage, state: RoomState): void {
    io.to(roomChannel(roomCode)).emit("message", notice);
    io.to(roomChannel(roomCode)).emit("room:state", state);
  }

  async function departAfterGrace(roomCode: string, member: Member): Promise<void> {
    const entry = local.get(roomCode)?.get(member.userId);
    if (entry && entry.sockets > 0) return;
    forgetLocal(roomCode, member.userId);
    // Their other tabs may be connected to another node (the adapter asks every node).
    const sockets = await io.in(memberChannel(roomCode, member.userId)).fetchSockets();
    if (sockets.length > 0) return;
    await goOffline(roomCode, member);
  }

  /** A renamed member's open tabs on this node write under the new name from now on. */
  async function renameTabs(roomCode: string, member: Member): Promise<void> {
    const sockets = await io.local.in(memberChannel(roomCode, member.userId)).fetchSockets();
    for (const socket of sockets) socket.data.name = member.name;
  }
  io.on("member:renamed", ({ roomCode, userId, name }) => {
    renameTabs(roomCode, { userId, name }).catch((error: unknown) => onError(error, "rename"));
  });

  async function sweep(): Promise<void> {
    const time = now();
    // In batches, with a turn of the event loop between them: vouching for 20,000 members in one
    // go would stall every socket on this node for tens of milliseconds.
    let batch = new Map<string, string[]>();
    let batchSize = 0;
    for (const [roomCode, members] of local) {
      const connected = [...members].filter(([, m]) => m.sockets > 0).map(([userId]) => userId);
      if (connected.length === 0) continue;
      batch.set(roomCode, connected);
      batchSize += connected.length;
      if (batchSize < VOUCH_BATCH) continue;
      await store.touchPresence(batch, time);
      await new Promise((resolve) => setImmediate(resolve));
      batch = new Map();
      batchSize = 0;
    }
    if (batchSize > 0) await store.touchPresence(batch, time);

    // Members no node has vouched for in two sweeps (a node died, or this one restarted).
    const stale = await store.staleMembers(time - 2 * sweepIntervalMs - graceMs);
    for (const member of stale) {
      if ((local.get(member.roomCode)?.get(member.userId)?.sockets ?? 0) > 0) continue;
      await goOffline(member.roomCode, member);
    }
    for (const member of await store.claimAwayNotices(time - awayNoticeMs))
      arrival(member.roomCode, "left", member);

    for (const roomCode of await store.deleteIdleRooms(time - roomIdleMs))
      await endRoom(roomCode, "room-gone");
  }

  const sweeper = setInterval(() => {
    inFlight.run(sweep).catch((error: unknown) => onError(error, "sweep"));
  }, sweepIntervalMs);
  sweeper.unref();

  return {
    async join(roomCode, member, address = "", passphraseHash = null) {
      return inFlight.run(async () => {
        const admission = await store.admitMember(roomCode, member, address, passphraseHash, now());
        if (!admission.admitted) return { kind: "refused", reason: admission.reason } as const;
        const outcome = admission.outcome;
        if (outcome.kind === "joined") {
          arrival(roomCode, "joined", member);
          presenceChanged(roomCode, member, true);
        } else if (outcome.kind === "renamed") {
          await renameTabs(roomCode, member);
          if (crossNode) io.serverSideEmit("member:renamed", { roomCode, ...member });
          await announce(roomCode, "renamed", member, outcome.previousName);
          presenceChanged(roomCode, member, true);
        }
        return outcome;
      });
    },

    async leave(roomCode, userId) {
      await inFlight.run(async () => {
        const member = await store.getMember(roomCode, userId);
        endMember(roomCode, userId, "left");
        if (member && (await store.removeMember(roomCode, userId))) {
          arrival(roomCode, "left", member);
          presenceChanged(roomCode, member, false);
        }
        await messageLog.exclusive(roomCode, async () => {
          const passed = await store.passOwnership(roomCode, userId, now());
          const room = passed && (await store.getRoom(roomCode));
          if (passed && room) broadcastOwnerNotice(roomCode, passed, roomState(room));
        });
      });
    },

    async removed(roomCode, userId) {
      endMember(roomCode, userId, "removed");
      // The notice does not name whom it removed by id: the list comes whole, as on connecting.
      io.to(roomChannel(roomCode)).emit("presence", {
        members: await store.presentMembers(roomCode),
      });
    },

    async deleted(roomCode) {
      await endRoom(roomCode, "deleted");
    },

    ownerNotice: broadcastOwnerNotice,

    async connected(socket) {
      const { roomCode, userId, name } = socket.data;
      const entry = localMember(roomCode, userId);
      entry.sockets++;
      clearTimeout(entry.leaveTimer);
      entry.leaveTimer = undefined;
      await inFlight.run(async () => {
        const returning = await store.markPresent(roomCode, userId, now());
        if (!returning) return;
        // Back within the away window: online again, and no line in the history.
        if (returning === "away") arrival(roomCode, "joined", { userId, name });
        presenceChanged(roomCode, { userId, name }, true);
      });
      // The whole list goes only to the socket that connected; the others follow the changes.
      socket.emit("presence", { members: await store.presentMembers(roomCode) });
      const room = await store.getRoom(roomCode);
      if (room) socket.emit("room:state", roomState(room));
    },

    disconnected(socket) {
      const { roomCode, userId, name } = socket.data;
      const entry = local.get(roomCode)?.get(userId);
      if (!entry) return;
      entry.sockets = Math.max(0, entry.sockets - 1);
      if (entry.sockets > 0) return;
      entry.leaveTimer = setTimeout(() => {
        inFlight
          .run(() => departAfterGrace(roomCode, { userId, name }))
          .catch((error: unknown) => onError(error, "leave"));
      }, graceMs);
    },

    stop() {
      clearInterval(sweeper);
      presence.stop();
      for (const room of local.values())
        for (const member of room.values()) clearTimeout(member.leaveTimer);
      local.clear();
    },
  };
}
