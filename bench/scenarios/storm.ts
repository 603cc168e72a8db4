// Join storm: many people join one busy room within a few seconds, each through the whole flow
// (form, room page, socket, catch-up); measured until every one of them has history and presence.
import { waitFor } from "../lib/concurrency";
import { createDeliveryMeter } from "../lib/delivery";
import { createLatencyRecorder } from "../lib/latency";
import { fetchActionFields, type ActionFields } from "../lib/login";
import { cpuMeter, profileServer, readProbe } from "../lib/process-stats";
import { createPresenceCounter } from "../lib/presence";
import type { StormConfig, StormResult, TargetInfo } from "../lib/protocol";
import {
  connectSeats,
  joinSeat,
  openSocket,
  seatRooms,
  type BenchSocket,
  type Seat,
} from "../lib/seats";
import { paceMessages } from "./fanout";
import { errorText } from "../lib/errors";

const BUSY_LEAD_SECONDS = 1;
const DRAIN_TIMEOUT_MS = 5000;
/** What the room page renders before the socket catches up (HISTORY_PAGE_SIZE). */
const PAGE_MESSAGES = 50;

/** The newest sequence number in the room page's server-rendered messages. */
function newestSeqInPage(html: string): number | undefined {
  let newest: number | undefined;
  for (const match of html.matchAll(/\\"seq\\":(\d+)/g))
    newest = Math.max(newest ?? 0, Number(match[1]));
  return newest;
}

export async function runStorm(
  target: TargetInfo,
  config: StormConfig,
  log: (line: string) => void,
): Promise<StormResult> {
  const { busyMembers, joiners } = config;
  const core = await seatRooms(target, {
    firstRoom: 0,
    rooms: 1,
    roomSize: busyMembers,
    concurrency: 8,
  });
  const roomCode = core[0]?.roomCode ?? "";
  const meter = createDeliveryMeter(busyMembers + joiners);
  const presence = createPresenceCounter(busyMembers);
  let dropped = 0;
  let closing = false;
  const countDrops = (socket: BenchSocket) =>
    socket.on("disconnect", () => {
      if (!closing) dropped++;
    });
  const { sockets, failed } = await connectSeats(target, core, {
    concurrency: busyMembers,
    setup(socket, _seat, index) {
      countDrops(socket);
      socket.on("message", (message) => {
        meter.onMessage(index, message, true);
        presence.onMessage(index, message);
      });
      socket.on("presence", ({ members }) => presence.onPresence(index, members));
    },
  });
  if (failed > 0) throw new Error(`${failed} of the busy room's members failed to connect`);
  if (!(await waitFor(() => presence.allSee(busyMembers), 10_000)))
    throw new Error("Not every member of the busy room saw a full presence list within 10 s");
  const fields: ActionFields | undefined =
    target.kind === "ours" ? await fetchActionFields(target.url) : undefined;

  meter.start(busyMembers);
  const busy = paceMessages(
    meter,
    sockets as BenchSocket[],
    busyMembers * config.busyRatePerMember,
    config.timeoutSeconds + BUSY_LEAD_SECONDS + config.windowSeconds,
    "busy",
  );
  await new Promise((resolve) => setTimeout(resolve, BUSY_LEAD_SECONDS * 1000));

  await readProbe(target.probePort, { reset: true });
  if (config.profileFile) await profileServer(target.probePort, "start");
  const serverCpu = cpuMeter(target.pid);
  const ownCpu = process.cpuUsage();
  const perJoiner = createLatencyRecorder();
  const pageLoad = createLatencyRecorder();
  const joinerSockets: BenchSocket[] = [];
  let joined = 0;
  let firstError: string | undefined;
  let presenceEvents = 0;
  let presenceBytes = 0;
  let lastReadyAt = 0;
  const stormStart = performance.now();

  async function join(index: number): Promise<void> {
    const startedAt = performance.now();
    const receiver = busyMembers + index;
    const name = `Joiner ${index}`;
    let seat: Seat = { room: 0, roomCode, name };
    let afterSeq = Math.max(0, meter.lastSeq(0) - PAGE_MESSAGES);
    if (fields) {
      seat = await joinSeat(target, fields, seat);
      if (config.fetchPage) {
        const pageStart = performance.now();
        const page = await fetch(`${target.url}/r/${roomCode}`, {
          headers: { cookie: seat.cookie ?? "" },
        });
        const html = await page.text();
        if (!page.ok) throw new Error(`The room page answered ${page.status}`);
        pageLoad.record(performance.now() - pageStart);
        afterSeq = newestSeqInPage(html) ?? afterSeq;
      }
    }
    const { socket, connected } = openSocket(target, seat, {
      timeoutMs: config.timeoutSeconds * 1000,
    });
    joinerSockets.push(socket);
    countDrops(socket);
    let listedSelf = false;
    let ready = () => {};
    const listedPromise = new Promise<void>((resolve) => (ready = resolve));
    socket.on("message", (message) => meter.onMessage(receiver, message, false));
    socket.on("presence", ({ members }) => {
      presenceEvents++;
      // Sized from one entry: serialising every list again would load the generator, not the server.
      presenceBytes += members.length * (JSON.stringify(members[0] ?? {}).length + 1);
      if (!listedSelf && members.some((member) => member.name === name)) {
        listedSelf = true;
        ready();
      }
    });
    await connected;
    const history = await socket
      .timeout(config.timeoutSeconds * 1000)
      .emitWithAck("history:after", { afterSeq });
    if (!history.ok) throw new Error(`history:after refused: ${history.error}`);
    await listedPromise;
    lastReadyAt = performance.now();
    perJoiner.record(lastReadyAt - startedAt);
    joined++;
  }

  const arrivals = Array.from(
    { length: joiners },
    (_, index) =>
      new Promise<void>((resolve) => {
        setTimeout(
          () => {
            join(index).then(resolve, (error: unknown) => {
              firstError ??= errorText(error);
              resolve();
            });
          },
          (index * config.windowSeconds * 1000) / joiners,
        );
      }),
  );
  const allSettled = Promise.all(arrivals);
  const timedOut = await Promise.race([
    allSettled.then(() => false),
    new Promise<boolean>((resolve) =>
      setTimeout(() => resolve(true), config.timeoutSeconds * 1000),
    ),
  ]);
  const serverCpuPercent = serverCpu();
  const ownUsage = process.cpuUsage(ownCpu);
  const generatorCpuPercent =
    ((ownUsage.user + ownUsage.system) / 1000 / (performance.now() - stormStart)) * 100;
  const probe = await readProbe(target.probePort);
  if (config.profileFile) await profileServer(target.probePort, "stop", config.profileFile);
  log(
    `${joined} of ${joiners} joined${timedOut ? " (timed out)" : ""}, last ready after ${((lastReadyAt - stormStart) / 1000).toFixed(1)} s`,
  );

  busy.stop();
  await busy.done;
  await waitFor(() => meter.settled(), DRAIN_TIMEOUT_MS, 10);
  const window = meter.stop();
  closing = true;
  for (const socket of [...sockets, ...joinerSockets]) socket?.close();

  return {
    joiners,
    joined,
    failed: joiners - joined,
    firstError: firstError ?? (timedOut ? `timed out after ${config.timeoutSeconds} s` : undefined),
    allReadySeconds: joined === joiners ? (lastReadyAt - stormStart) / 1000 : null,
    perJoiner: perJoiner.summary(),
    pageLoad: fields && config.fetchPage ? pageLoad.summary() : undefined,
    busyRoom: {
      ...window.latency,
      lost: window.lost,
      duplicated: window.duplicated,
      reordered: window.reordered,
    },
    serverCpuPercent,
    generatorCpuPercent,
    dropped,
    eventLoopP99Ms: probe.eventLoopDelay.p99Ms,
    eventLoopMaxMs: probe.eventLoopDelay.maxMs,
    presenceEvents,
    presenceMegabytes: presenceBytes / 2 ** 20,
  };
}
