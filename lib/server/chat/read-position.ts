// How far a member has read: tabs report the newest sequence they showed while visible, and the
// home page counts unread messages after it. Reports are coalesced per socket, so a chatty client
// costs the store at most one write per interval whatever it sends.
import { READ_POSITION_FLUSH_MS } from "@/lib/chat-events";
import type { ChatStore } from "../store/types";
import { readSchema } from "./payloads";
import type { ChatSocket } from "./types";

export function trackReadPosition(
  socket: ChatSocket,
  store: ChatStore,
  onError: (error: unknown, step: string, socketId?: string) => void,
): void {
  const { roomCode, userId } = socket.data;
  let reported = 0;
  let written = 0;
  let timer: NodeJS.Timeout | undefined;

  function flush(): void {
    if (reported <= written) return;
    written = reported;
    store
      .markRead(roomCode, userId, written)
      .catch((error: unknown) => onError(error, "room:read", socket.id));
  }

  socket.on("room:read", (payload) => {
    const parsed = readSchema.safeParse(payload);
    if (!parsed.success || parsed.data.seq <= reported) return;
    reported = parsed.data.seq;
    if (timer) return;
    // The first report is written at once (someone going home right after reading sees it),
    // the ones during the interval after it together at its end.
    flush();
    timer = setTimeout(() => {
      timer = undefined;
      flush();
    }, READ_POSITION_FLUSH_MS);
  });
  socket.on("disconnect", () => {
    clearTimeout(timer);
    flush();
  });
}
