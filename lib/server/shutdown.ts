// What SIGTERM/SIGINT do to a running server: stop accepting, let clients reconnect elsewhere,
// finish writes, close the store, exit; cut short when that takes too long.
import type { Logger } from "./logger";

/** A graceful stop that takes longer than this is cut short. */
export const SHUTDOWN_DEADLINE_MS = 5000;

export function stopOnSignals(server: { close(): Promise<void> }, log: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "finishing writes and closing");
    setTimeout(() => {
      log.error({ signal, deadlineMs: SHUTDOWN_DEADLINE_MS }, "shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error, signal }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
