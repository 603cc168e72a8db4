// The bar we are measured against: bare Socket.IO with default options, speaking the app's event
// contract with no auth, no storage and no validation. Room and name come from the handshake;
// sequence numbers and the member list live in memory. Run by the bench with PORT set; with
// REDIS_URL it is one node of several, joined by the same Redis Streams adapter the app uses.
import { createServer } from "node:http";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { createClient } from "redis";
import { Server } from "socket.io";
import type {
  ChatMessage,
  ClientToServerEvents,
  Member,
  ServerToClientEvents,
} from "@/lib/chat-events";

interface SeatData {
  room: string;
  name: string;
}

interface RoomState {
  seq: number;
  members: Map<string, Member>;
}

const httpServer = createServer();
const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SeatData>(
  httpServer,
  { serveClient: false },
);
// Nodes number their messages apart (node i of n: i+1, i+1+n, …), so no two share a sequence.
const node = Number(process.env.BASELINE_NODE ?? 0);
const nodes = Number(process.env.BASELINE_NODES ?? 1);

async function joinRedisAdapter(url: string): Promise<void> {
  const redis = createClient({ url });
  await redis.connect();
  io.adapter(createAdapter(redis, { streamName: `${process.env.REDIS_PREFIX ?? ""}socket.io` }));
}
const rooms = new Map<string, RoomState>();

function roomState(room: string): RoomState {
  let state = rooms.get(room);
  if (!state) rooms.set(room, (state = { seq: 0, members: new Map() }));
  return state;
}

function stamp(
  room: string,
  fields: Pick<ChatMessage, "clientId" | "kind" | "authorId" | "authorName" | "body">,
): ChatMessage {
  return {
    seq: roomState(room).seq++ * nodes + node + 1,
    createdAt: Date.now(),
    ...fields,
  };
}

io.on("connection", (socket) => {
  const room = String(socket.handshake.auth.room);
  const name = String(socket.handshake.auth.name);
  const member = { userId: socket.id, name };
  void socket.join(room);
  roomState(room).members.set(socket.id, member);
  io.to(room).emit(
    "message",
    stamp(room, {
      clientId: null,
      kind: "joined",
      authorId: socket.id,
      authorName: name,
      body: "",
    }),
  );
  // As in the app: the whole list only to the newcomer; the others follow the notices.
  socket.emit("presence", { members: [...roomState(room).members.values()] });

  socket.on("message:send", ({ clientId, body }, ack) => {
    const message = stamp(room, {
      clientId,
      kind: "text",
      authorId: socket.id,
      authorName: name,
      body,
    });
    io.to(room).emit("message", message);
    ack({ ok: true, message });
  });
  socket.on("history:after", (_payload, ack) => ack({ ok: true, messages: [], hasMore: false }));
  socket.on("history:before", (_payload, ack) => ack({ ok: true, messages: [], hasMore: false }));
  socket.on("disconnect", () => {
    roomState(room).members.delete(socket.id);
    io.to(room).emit(
      "message",
      stamp(room, {
        clientId: null,
        kind: "left",
        authorId: socket.id,
        authorName: name,
        body: "",
      }),
    );
  });
});

void (process.env.REDIS_URL ? joinRedisAdapter(process.env.REDIS_URL) : Promise.resolve()).then(
  () => httpServer.listen(Number(process.env.PORT ?? 3590), process.env.HOST ?? "127.0.0.1"),
);
process.on("SIGTERM", () => io.close(() => process.exit(0)));
