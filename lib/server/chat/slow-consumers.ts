// A socket whose client does not read (or cannot keep up) piles up what the server sends it:
// Engine.IO's write buffer (packets waiting for the transport) plus what the WebSocket has not
// yet handed to the kernel. Past a bound such a socket is disconnected, so a client that never
// reads cannot pin server memory.
import type { ChatServer, ChatSocket } from "./types";

interface EngineConnection {
  writeBuffer?: Array<{ data?: unknown }>;
  transport?: { socket?: { bufferedAmount?: number } };
}

/** Bytes queued for this socket on the server and not yet written to the network. */
export function queuedBytes(socket: ChatSocket): number {
  const connection = socket.conn as unknown as EngineConnection;
  let bytes = connection.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of connection.writeBuffer ?? []) {
    const data = packet.data;
    if (typeof data === "string") bytes += data.length;
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) bytes += data.byteLength;
  }
  return bytes;
}

/** Disconnects the socket when it holds more than `limitBytes` unsent; true when it did. */
export function dropIfSlow(socket: ChatSocket, limitBytes: number): boolean {
  if (queuedBytes(socket) <= limitBytes) return false;
  socket.disconnect(true);
  return true;
}

/** Checks every socket of this node at an interval (broadcasts pile up without any request). */
export function watchSlowConsumers(
  io: ChatServer,
  limitBytes: number,
  onDrop: (socket: ChatSocket) => void,
  intervalMs = 1000,
): () => void {
  const timer = setInterval(() => {
    for (const socket of io.of("/").sockets.values())
      if (dropIfSlow(socket, limitBytes)) onDrop(socket);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
