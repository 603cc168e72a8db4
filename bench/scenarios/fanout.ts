// Fan-out: rooms of members all sending at a fixed rate; the orchestrator steps the rate up.
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { ChatMessage } from "@/lib/chat-events";
import { waitFor } from "../lib/concurrency";
import { createDeliveryMeter, type DeliveryMeter } from "../lib/delivery";
import { cpuMeter, profileServer, readProbes } from "../lib/process-stats";
import { createPresenceCounter } from "../lib/presence";
import { nodesOf, type FanoutConfig, type FanoutStep, type TargetInfo } from "../lib/protocol";
import { connectSeats, seatRooms, type BenchSocket } from "../lib/seats";

const SEAT_CONCURRENCY = 32;
const CONNECT_CONCURRENCY = 50;
const DRAIN_TIMEOUT_MS = 5000;
/** How often the sender wakes to emit what is due; rates are met on average, evenly spread. */
const TICK_MS = 2;

export const messageBody = (n: number) =>
  `Message ${n}: the quick brown fox jumps over the lazy dog, twice.`;

/** Emits `ratePerSecond` messages round-robin over `senders` until `seconds` have passed. */
export function paceMessages(
  meter: DeliveryMeter,
  senders: readonly BenchSocket[],
  ratePerSecond: number,
  seconds: number,
  idPrefix: string,
): { done: Promise<void>; stop: () => void } {
  const start = performance.now();
  const total = Math.round(ratePerSecond * seconds);
  let sent = 0;
  let stopped = false;
  let finish = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const tick = () => {
    const elapsed = (performance.now() - start) / 1000;
    const due = Math.min(total, Math.floor(elapsed * ratePerSecond));
    for (; sent < due; sent++) {
      const socket = senders[sent % senders.length] as BenchSocket;
      // Client ids must be 8–64 characters of [A-Za-z0-9_-].
      meter.send(socket, `bench-${idPrefix}-${sent}`, messageBody(sent));
    }
    if (stopped || sent >= total) finish();
    else setTimeout(tick, TICK_MS);
  };
  tick();
  return { done, stop: () => (stopped = true) };
}

export interface FanoutRoom {
  /** Seat and connection figures, once everyone is connected and listed. */
  ready: { clients: number; seatSeconds: number; connectSeconds: number };
  /** One step at `ratePerMember` messages per second per member; `id` keeps client ids unique. */
  step(ratePerMember: number, seconds: number, id: string): Promise<FanoutStep>;
  profile(action: "start" | "stop"): Promise<void>;
  close(): void;
}

/** Seats and connects the fan-out's rooms, ready to run steps when told. */
export async function prepareFanout(
  target: TargetInfo,
  config: FanoutConfig,
  log: (line: string) => void,
): Promise<FanoutRoom> {
  const { rooms, roomSize } = config;
  const began = performance.now();
  const seats = await seatRooms(target, {
    firstRoom: 0,
    rooms,
    roomSize,
    concurrency: SEAT_CONCURRENCY,
  });
  const seatSeconds = (performance.now() - began) / 1000;

  const meter = createDeliveryMeter(seats.length);
  const presence = createPresenceCounter(seats.length);
  let sample: ChatMessage | undefined;
  const connectStart = performance.now();
  // With several nodes, each room's members alternate between them: half of every room's
  // deliveries cross from one node to the other.
  const nodes = nodesOf(target);
  const memberIndex = new Map<number, number>();
  const nodeOfSeat = seats.map((seat) => {
    const member = memberIndex.get(seat.room) ?? 0;
    memberIndex.set(seat.room, member + 1);
    return nodes[member % nodes.length] as TargetInfo;
  });
  const { sockets, failed, firstError } = await connectSeats(target, seats, {
    concurrency: CONNECT_CONCURRENCY,
    nodeOf: (_seat, index) => nodeOfSeat[index] ?? target,
    setup(socket, _seat, index) {
      socket.on("message", (message) => {
        if (index === 0) sample = message;
        meter.onMessage(index, message, true);
        presence.onMessage(index, message);
      });
      socket.on("presence", ({ members }) => presence.onPresence(index, members));
    },
  });
  if (failed > 0) throw new Error(`${failed} sockets failed to connect: ${firstError}`);
  const connectSeconds = (performance.now() - connectStart) / 1000;
  log(
    `seated ${seats.length} in ${seatSeconds.toFixed(1)} s, connected in ${connectSeconds.toFixed(1)} s`,
  );
  // Bare Socket.IO nodes keep their member lists in memory: each lists only its own sockets
  // and the joins announced after a socket connected.
  const listed = target.kind === "baseline" ? Math.ceil(roomSize / nodes.length) : roomSize;
  if (!(await waitFor(() => presence.allSee(listed), 20_000)))
    throw new Error("Not every member saw a full presence list within 20 s");

  // Consecutive sends go to different rooms, so no room gets a burst.
  const position = new Map<number, number>();
  const senders = seats
    .map((seat, index) => {
      const member = position.get(seat.room) ?? 0;
      position.set(seat.room, member + 1);
      return { socket: sockets[index] as BenchSocket, key: member * rooms + seat.room };
    })
    .sort((a, b) => a.key - b.key)
    .map((entry) => entry.socket);

  const generatorDelay = monitorEventLoopDelay({ resolution: 10 });
  generatorDelay.enable();

  async function step(ratePerMember: number, seconds: number, id: string): Promise<FanoutStep> {
    const offered = ratePerMember * senders.length;
    const probePorts = nodes.map((node) => node.probePort);
    await readProbes(probePorts, { reset: true });
    const serverCpu = cpuMeter(nodes.map((node) => node.pid));
    const ownCpu = process.cpuUsage();
    const ownStart = performance.now();
    generatorDelay.reset();
    meter.start(roomSize);
    await paceMessages(meter, senders, offered, seconds, id).done;
    await waitFor(() => meter.settled(), DRAIN_TIMEOUT_MS, 10);
    const serverCpuPercent = serverCpu();
    const ownUsage = process.cpuUsage(ownCpu);
    const ownElapsed = performance.now() - ownStart;
    const window = meter.stop();
    const probe = await readProbes(probePorts);
    const activeSeconds = Math.max(0.001, (window.lastReceiptAt - window.startedAt) / 1000);
    return {
      ratePerMember,
      offeredPerSecond: offered,
      messagesPerSecond: window.sent / seconds,
      deliveriesPerSecond: window.deliveries / activeSeconds,
      latency: window.latency,
      lost: window.lost,
      duplicated: window.duplicated,
      reordered: window.reordered,
      rejected: window.rejected,
      firstRejection: window.firstRejection,
      serverCpuPercent,
      serverCpuMicrosPerDelivery:
        window.deliveries > 0 ? (serverCpu.seconds * 1e6) / window.deliveries : 0,
      bytesPerDelivery: sample ? Buffer.byteLength(`42${JSON.stringify(["message", sample])}`) : 0,
      eventLoopP99Ms: probe.eventLoopDelay.p99Ms,
      eventLoopMaxMs: probe.eventLoopDelay.maxMs,
      serverRssMb: probe.rssBytes / 2 ** 20,
      generatorCpuPercent: ((ownUsage.user + ownUsage.system) / 1000 / ownElapsed) * 100,
      generatorEventLoopP99Ms: Math.max(0, generatorDelay.percentile(99) / 1e6 - 10),
    };
  }

  return {
    ready: { clients: seats.length, seatSeconds, connectSeconds },
    step,
    async profile(action) {
      if (config.profileFile) await profileServer(target.probePort, action, config.profileFile);
    },
    close() {
      generatorDelay.disable();
      for (const socket of sockets) socket?.close();
    },
  };
}
