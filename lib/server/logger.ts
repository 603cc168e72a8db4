// Structured JSON logs (one object a line) for log collectors. They name what failed and where
// (request id, socket id); never secrets, cookies or message bodies.
import { hostname } from "node:os";
import pino from "pino";
import type { Config } from "./config";

export type Logger = pino.Logger;

/**
 * An error that can repeat on every attempt (a client retrying against a down database) is logged
 * at most once per interval, with how many were left out since the last line.
 */
export function throttledErrorLog(
  log: Logger,
  message: string,
  intervalMs = 10_000,
): (context: object) => void {
  let lastAt = -Infinity;
  let suppressed = 0;
  return (context) => {
    const now = Date.now();
    if (now - lastAt < intervalMs) {
      suppressed += 1;
      return;
    }
    log.error({ ...context, suppressed }, message);
    lastAt = now;
    suppressed = 0;
  };
}

/** Standard output unless told otherwise (tests read the lines back). */
export function createLogger(
  config: Pick<Config, "logLevel">,
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { host: hostname(), pid: process.pid },
      redact: ["req.headers.cookie", "req.headers.authorization", "body"],
    },
    destination,
  );
}
