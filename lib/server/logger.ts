// Structured JSON logs (one object a line) for log collectors. They name what failed and where
// (request id, socket id); never secrets, cookies or message bodies.
import { hostname } from "node:os";
import pino from "pino";
import type { Config } from "./config";

export type Logger = pino.Logger;

export function createLogger(config: Pick<Config, "logLevel">): Logger {
  return pino({
    level: config.logLevel,
    base: { host: hostname(), pid: process.pid },
    redact: ["req.headers.cookie", "req.headers.authorization", "body"],
  });
}
