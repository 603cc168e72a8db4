// Nothing lost, nothing doubled, through random connection cuts and a server restart.
import { afterAll, beforeAll, it } from "vitest";
import type { RunningServer } from "@/lib/server/app-server";
import type { Config } from "@/lib/server/config";
import { runChaos } from "./support/chaos";
import { joinAs, newRoom, startTestServer, tempDataDir, testConfig } from "./support/server";

let data: ReturnType<typeof tempDataDir>;
let config: Config;
let server: RunningServer;

beforeAll(async () => {
  data = tempDataDir();
  config = testConfig(data.dir, {
    MESSAGE_RATE_PER_SECOND: "1000",
    MESSAGE_BURST: "1000",
    PRESENCE_GRACE_MS: "2000",
  });
  server = await startTestServer(config);
});

afterAll(async () => {
  await server.close();
  data.remove();
});

it(
  "everyone ends with the store's exact history through cuts and a restart",
  { timeout: 120_000 },
  async () => {
    const roomCode = await newRoom(server);
    const people = await Promise.all(
      ["P0", "P1", "P2", "P3", "P4"].map((name) => joinAs(server, roomCode, name, config)),
    );
    const port = server.port;
    const summary = await runChaos({
      url: server.url,
      people,
      messagesEach: 80,
      async disrupt() {
        // A graceful restart on the same port, with the same SQLite file.
        await server.close();
        await new Promise((resolve) => setTimeout(resolve, 300));
        server = await startTestServer({ ...config, port });
      },
      storedHistory: () => server.store.messagesAfter(roomCode, 0, 100_000),
    });
    console.log(`chaos (one server, restarted once): ${summary}`);
  },
);
