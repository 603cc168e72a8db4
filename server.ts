// The custom Node server: one port for the Next app and its Socket.IO server.
import { loadEnvironment } from "./lib/server/env-file";
import { ConfigError, parseConfig } from "./lib/server/config";
import { startServer } from "./lib/server/app-server";
import { reachableUrls } from "./lib/server/network";

/** A graceful stop that takes longer than this is cut short. */
const SHUTDOWN_DEADLINE_MS = 5000;

async function main(): Promise<void> {
  const dir = process.cwd();
  const generatedSecret = loadEnvironment(dir, process.env.NODE_ENV !== "production");
  if (generatedSecret) console.log(generatedSecret);
  const config = parseConfig(process.env);

  const server = await startServer({ config, nextDir: dir });
  const { local, network } = reachableUrls(config.host, server.port);
  console.log(`\n  Roomcode chat${config.dev ? " (development)" : ""}\n`);
  console.log(`  ➜  Local:   ${local}`);
  for (const url of network) console.log(`  ➜  Network: ${url}`);
  console.log("");

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing writes and closing…`);
    setTimeout(() => {
      console.error("Shutdown took too long; exiting.");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("Shutdown failed:", error);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
