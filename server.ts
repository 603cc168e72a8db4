// The custom Node server: one port for the Next app and its Socket.IO server.
import { startServer } from "./lib/server/app-server";
import { ConfigError, parseConfig } from "./lib/server/config";
import { loadEnvironment } from "./lib/server/env-file";
import { reachableUrls } from "./lib/server/network";
import { stopOnSignals } from "./lib/server/shutdown";

async function main(): Promise<void> {
  const dir = process.cwd();
  // Before the configuration is read there is no logger yet: such errors go to stderr.
  const generatedSecret = loadEnvironment(dir, process.env.NODE_ENV !== "production", (message) =>
    console.error(message),
  );
  if (generatedSecret) console.log(generatedSecret);
  const config = parseConfig(process.env);

  const server = await startServer({ config, nextDir: dir });
  const { local, network } = reachableUrls(config.host, server.port);
  console.log(`\n  Roomcode chat${config.dev ? " (development)" : ""}\n`);
  console.log(`  ➜  Local:   ${local}`);
  for (const url of network) console.log(`  ➜  Network: ${url}`);
  console.log("");
  stopOnSignals(server, server.log);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
