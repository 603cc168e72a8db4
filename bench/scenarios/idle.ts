// Idle capacity, one shard of it: seat rooms, then (when told) connect them all from one source
// address and hold the connections until told to close. The orchestrator measures the server.
import type { IdleShardConfig, TargetInfo } from "../lib/protocol";
import { connectSeats, seatRooms, type BenchSocket } from "../lib/seats";

export interface IdleShard {
  seat(): Promise<{ seated: number; seconds: number }>;
  connect(): Promise<{ connected: number; failed: number; seconds: number; firstError?: string }>;
  close(): void;
}

export function createIdleShard(target: TargetInfo, config: IdleShardConfig): IdleShard {
  let seats: Awaited<ReturnType<typeof seatRooms>> = [];
  let sockets: Array<BenchSocket | null> = [];
  return {
    async seat() {
      const start = performance.now();
      seats = await seatRooms(target, {
        firstRoom: config.firstRoom,
        rooms: config.rooms,
        roomSize: config.roomSize,
        concurrency: config.concurrency,
      });
      return { seated: seats.length, seconds: (performance.now() - start) / 1000 };
    },
    async connect() {
      const start = performance.now();
      const result = await connectSeats(target, seats, {
        concurrency: config.concurrency,
        localAddress: config.localAddress,
      });
      sockets = result.sockets;
      return {
        connected: sockets.filter(Boolean).length,
        failed: result.failed,
        firstError: result.firstError,
        seconds: (performance.now() - start) / 1000,
      };
    },
    close() {
      for (const socket of sockets) socket?.close();
    },
  };
}
