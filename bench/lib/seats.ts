// Bench users: seated in rooms through the app's own create/join form (for the baseline, the
// room is simply named in the handshake), then connected over WebSocket as the room page does.
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/chat-events";
import { mapLimit } from "./concurrency";
import { enterRoom, fetchActionFields, type ActionFields } from "./login";
import type { TargetInfo } from "./protocol";
import { errorText } from "./errors";

export type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Seat {
  /** Index of the room within the scenario. */
  room: number;
  roomCode: string;
  name: string;
  /** The session cookie (ours); the baseline has no sessions. */
  cookie?: string;
}

export interface SeatOptions {
  firstRoom: number;
  rooms: number;
  roomSize: number;
  concurrency: number;
}

const nameOf = (room: number, member: number) => `Bench ${room}-${member}`;

/** A login can meet a reset connection when thousands run; one retry tells that from a failure. */
async function withRetry<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch {
    return work();
  }
}

/**
 * Seats `rooms × roomSize` users. For ours, each room's first member creates it from the home
 * form and the others join it by its code, each with their own session.
 */
export async function seatRooms(target: TargetInfo, options: SeatOptions): Promise<Seat[]> {
  const { firstRoom, rooms, roomSize, concurrency } = options;
  const roomIndexes = Array.from({ length: rooms }, (_, i) => firstRoom + i);
  if (target.kind === "baseline") {
    return roomIndexes.flatMap((room) =>
      Array.from({ length: roomSize }, (_, member) => ({
        room,
        roomCode: `B${room}`,
        name: nameOf(room, member),
      })),
    );
  }
  // The form's hidden inputs are the same for everyone; one page load serves all the logins.
  const fields = await fetchActionFields(target.url);
  const creators = await mapLimit(roomIndexes, concurrency, (room) =>
    withRetry(() => enterRoom(target.url, fields, { name: nameOf(room, 0), intent: "create" })),
  );
  const seats: Seat[] = creators.map((login, i) => ({
    room: firstRoom + i,
    roomCode: login.roomCode,
    name: nameOf(firstRoom + i, 0),
    cookie: login.cookie,
  }));
  const joiners = seats.flatMap((creator) =>
    Array.from({ length: roomSize - 1 }, (_, i) => ({
      room: creator.room,
      roomCode: creator.roomCode,
      name: nameOf(creator.room, i + 1),
    })),
  );
  const joined = await mapLimit(joiners, concurrency, (seat) => joinSeat(target, fields, seat));
  return [...seats, ...joined];
}

/** One person joining an existing room through the form. */
export async function joinSeat(
  target: TargetInfo,
  fields: ActionFields,
  seat: Omit<Seat, "cookie">,
): Promise<Seat> {
  const login = await withRetry(() =>
    enterRoom(target.url, fields, { name: seat.name, intent: "join", code: seat.roomCode }),
  );
  return { ...seat, cookie: login.cookie };
}

export interface OpenSocket {
  socket: BenchSocket;
  /** Settles when the server accepted the socket (or refused it). */
  connected: Promise<void>;
}

/**
 * Opens a seat's socket: WebSocket only, no reconnection (a dropped socket must show up as lost
 * messages, not be papered over). Listeners added right after this call miss nothing.
 */
export function openSocket(
  target: TargetInfo,
  seat: Seat,
  options: { localAddress?: string; timeoutMs?: number } = {},
): OpenSocket {
  // `localAddress` reaches the `ws` client through engine.io-client, which does not type it.
  const socketOptions: Partial<ManagerOptions & SocketOptions> & { localAddress?: string } = {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    timeout: options.timeoutMs ?? 20_000,
    extraHeaders: seat.cookie ? { cookie: seat.cookie } : undefined,
    auth: target.kind === "baseline" ? { room: seat.roomCode, name: seat.name } : undefined,
    localAddress: options.localAddress,
  };
  const socket: BenchSocket = io(target.url, socketOptions);
  const connected = new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
  return { socket, connected };
}

export async function connectSeats(
  target: TargetInfo,
  seats: readonly Seat[],
  options: {
    concurrency: number;
    localAddress?: string;
    /** Which node a seat connects to, when there are several (the target's own by default). */
    nodeOf?: (seat: Seat, index: number) => TargetInfo;
    setup?: (socket: BenchSocket, seat: Seat, index: number) => void;
  },
): Promise<{ sockets: Array<BenchSocket | null>; failed: number; firstError?: string }> {
  let failed = 0;
  let firstError: string | undefined;
  const sockets = await mapLimit(seats, options.concurrency, async (seat, index) => {
    const node = options.nodeOf?.(seat, index) ?? target;
    const { socket, connected } = openSocket(node, seat, { localAddress: options.localAddress });
    options.setup?.(socket, seat, index);
    try {
      await connected;
      return socket;
    } catch (error) {
      failed++;
      firstError ??= errorText(error);
      return null;
    }
  });
  return { sockets, failed, firstError };
}
