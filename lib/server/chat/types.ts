import type { Server, Socket } from "socket.io";
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from "@/lib/chat-events";

export type ChatServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type ChatSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/** Socket.IO rooms: every socket of a chat room, and every socket of one member of a room. */
export const roomChannel = (roomCode: string) => `room:${roomCode}`;
export const memberChannel = (roomCode: string, userId: string) => `member:${roomCode}:${userId}`;
