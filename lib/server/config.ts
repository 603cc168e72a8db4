// The one place that reads the environment: every setting typed, validated and defaulted.
// A bad setting stops the server at start-up with a line that says which and why.
import path from "node:path";
import { z } from "zod";

export const MIN_SECRET_LENGTH = 32;
const MB = 1024 * 1024;

const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .transform((value) => ["1", "true", "yes"].includes(value));

const csv = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean),
);

const origin = z.string().transform((value, ctx) => {
  try {
    return new URL(value).origin;
  } catch {
    ctx.addIssue({
      code: "custom",
      message: `"${value}" is not an origin like https://chat.example.com`,
    });
    return z.NEVER;
  }
});

const allowedOrigins = csv.pipe(z.array(origin)).default([]);

/**
 * ALLOWED_ORIGINS alone, for next.config.ts (server actions), which Next loads before this
 * server's configuration exists: the same rule, so an entry either side would refuse stops both.
 */
export function parseAllowedOrigins(value: string | undefined): string[] {
  const parsed = allowedOrigins.safeParse(value || undefined);
  if (parsed.success) return parsed.data;
  throw configError(parsed.error, ["ALLOWED_ORIGINS"]);
}

const secret = (name: string) =>
  z
    .string()
    .min(MIN_SECRET_LENGTH, `${name} must be at least ${MIN_SECRET_LENGTH} characters long.`);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SESSION_SECRET: secret("SESSION_SECRET"),
  SESSION_SECRET_PREVIOUS: csv
    .pipe(z.array(secret("Every SESSION_SECRET_PREVIOUS entry")))
    .default([]),
  SESSION_MAX_AGE_DAYS: z.coerce.number().positive().default(30),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_PATH: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\//,
      "DATABASE_URL must be a postgres:// URL (leave it unset for SQLite).",
    )
    .optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "DATABASE_SCHEMA must be a plain lower-case name.")
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "REDIS_URL must be a redis:// or rediss:// URL.")
    .optional(),
  REDIS_PREFIX: z.string().min(1).default("roomcode:"),
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters.").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ROOM_IDLE_HOURS: z.coerce.number().positive().default(24),
  PRESENCE_GRACE_MS: z.coerce.number().int().min(0).default(5000),
  PRESENCE_SWEEP_MS: z.coerce.number().int().min(100).default(15_000),
  TRUST_PROXY: flag.default(false),
  ALLOWED_ORIGINS: allowedOrigins,
  MESSAGE_RATE_PER_SECOND: z.coerce.number().positive().default(5),
  MESSAGE_BURST: z.coerce.number().int().positive().default(20),
  JOIN_ATTEMPTS_PER_HOUR: z.coerce.number().int().positive().default(60),
  CONNECTIONS_PER_IP: z.coerce.number().int().positive().default(50),
  FILE_MAX_MB: z.coerce.number().positive().default(25),
  ROOM_FILES_MAX_MB: z.coerce.number().positive().default(1000),
  UPLOADS_PER_MINUTE: z.coerce.number().int().positive().default(30),
});

export interface Config {
  dev: boolean;
  port: number;
  host: string;
  /** Newest first: the first seals new cookies, all of them unseal. */
  sessionSecrets: string[];
  sessionMaxAgeSeconds: number;
  databasePath: string;
  /** Uploaded files when there is no DATABASE_URL (in PostgreSQL otherwise). */
  filesDir: string;
  /** PostgreSQL for several nodes; when unset the embedded SQLite file at databasePath is used. */
  databaseUrl?: string;
  /** PostgreSQL schema to use (created if missing); the connection's default when unset. */
  databaseSchema?: string;
  /** Cross-node delivery (Socket.IO's Redis Streams adapter) and shared rate limits. */
  redisUrl?: string;
  /** Prefix for every Redis key and stream of this deployment. */
  redisPrefix: string;
  /** Bearer token for GET /metrics; without it only this machine may read them. */
  metricsToken?: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  roomIdleMs: number;
  presenceGraceMs: number;
  /** How often a node vouches for its members and sweeps departed members and idle rooms. */
  presenceSweepMs: number;
  trustProxy: boolean;
  /** Origins besides the app's own that may open sockets and post server actions. */
  allowedOrigins: string[];
  limits: {
    messagesPerSecond: number;
    messageBurst: number;
    joinAttemptsPerHour: number;
    connectionsPerIp: number;
    /** Bytes of one uploaded file. */
    fileBytes: number;
    /** Bytes of all files of one room. */
    roomFileBytes: number;
    /** Uploads per person per minute (bursts up to that many). */
    uploadsPerMinute: number;
  };
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** One line per bad setting, named by its key. */
function configError(error: z.ZodError, path: PropertyKey[] = []): ConfigError {
  const lines = error.issues.map(
    (issue) => `  ${[...path, ...issue.path].map(String).join(".") || "env"}: ${issue.message}`,
  );
  return new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}

export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) throw configError(parsed.error);
  const e = parsed.data;
  const dataDir = path.resolve(cwd, e.DATA_DIR);
  return {
    dev: e.NODE_ENV === "development",
    port: e.PORT,
    host: e.HOST,
    sessionSecrets: [e.SESSION_SECRET, ...e.SESSION_SECRET_PREVIOUS],
    sessionMaxAgeSeconds: Math.round(e.SESSION_MAX_AGE_DAYS * 86_400),
    databasePath: e.DATABASE_PATH
      ? path.resolve(cwd, e.DATABASE_PATH)
      : path.join(dataDir, "roomcode.db"),
    filesDir: path.join(dataDir, "files"),
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    metricsToken: e.METRICS_TOKEN,
    logLevel: e.LOG_LEVEL,
    roomIdleMs: e.ROOM_IDLE_HOURS * 3_600_000,
    presenceGraceMs: e.PRESENCE_GRACE_MS,
    presenceSweepMs: e.PRESENCE_SWEEP_MS,
    trustProxy: e.TRUST_PROXY,
    allowedOrigins: e.ALLOWED_ORIGINS,
    limits: {
      messagesPerSecond: e.MESSAGE_RATE_PER_SECOND,
      messageBurst: e.MESSAGE_BURST,
      joinAttemptsPerHour: e.JOIN_ATTEMPTS_PER_HOUR,
      connectionsPerIp: e.CONNECTIONS_PER_IP,
      fileBytes: Math.round(e.FILE_MAX_MB * MB),
      roomFileBytes: Math.round(e.ROOM_FILES_MAX_MB * MB),
      uploadsPerMinute: e.UPLOADS_PER_MINUTE,
    },
  };
}

/** `FOO=` in a file means "not set", so the default applies. */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "",
    ),
  );
}
