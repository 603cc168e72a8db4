// One node of a test cluster, run as its own process: the app's server without Next, configured
// from the environment and stopped by signals like the real one. Prints "READY <port>" once it listens.
import { startServer } from "@/lib/server/app-server";
import { parseConfig } from "@/lib/server/config";
import { stopOnSignals } from "@/lib/server/shutdown";

async function main(): Promise<void> {
  const server = await startServer({ config: parseConfig(process.env) });
  process.stdout.write(`READY ${server.port}\n`);
  stopOnSignals(server, server.log);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
