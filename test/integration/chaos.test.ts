// Nothing lost, nothing doubled, through random connection cuts and a server restart.
import { it } from "vitest";
import { runChaos } from "../support/chaos";
import { joinAs, newRoom, startTestServer, withTestServer } from "../support/server";

const t = withTestServer(
  {
    MESSAGE_RATE_PER_SECOND: "1000",
    MESSAGE_BURST: "1000",
    PRESENCE_GRACE_MS: "2000",
  },
  "all",
);

it(
  "everyone ends with the store's exact history through cuts and a restart",
  { timeout: 120_000 },
  async () => {
    const roomCode = await newRoom(t.server);
    const people = await Promise.all(
      ["P0", "P1", "P2", "P3", "P4"].map((name) => joinAs(t.server, roomCode, name, t.config)),
    );
    const port = t.server.port;
    const summary = await runChaos({
      url: t.server.url,
      people,
      messagesEach: 80,
      async disrupt() {
        // A graceful restart on the same port, with the same SQLite file.
        await t.server.close();
        await new Promise((resolve) => setTimeout(resolve, 300));
        t.server = await startTestServer({ ...t.config, port });
      },
      storedHistory: () => t.server.store.messagesAfter(roomCode, 0, 100_000),
    });
    console.log(`chaos (one server, restarted once): ${summary}`);
  },
);
