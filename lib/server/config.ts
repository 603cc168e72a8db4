// The one place that reads the environment: every setting typed, validated and defaulted.
// A bad setting stops the server at start-up with a line that says which and why.
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

export const MIN_SECRET_LENGTH = 32;
const MB = 1024 * 1024;

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

/**
 * Every budget of the app in one table: the rate at which an address, person or socket may use a
 * way in, and how much one answer may carry. Each row can be overridden by its setting; the
 * README's Security section explains each row and the arithmetic they add up to.
 */
export const LIMITS = {
  messagesPerSecond: {
    env: "MESSAGE_RATE_PER_SECOND",
    default: 5,
    meaning: "Messages per socket per second, sustained (twice that per person across tabs).",
  },
  messageBurst: {
    env: "MESSAGE_BURST",
    default: 20,
    meaning: "Messages a socket may send in one burst (twice that per person).",
  },
  joinAttemptsPerHour: {
    env: "JOIN_ATTEMPTS_PER_HOUR",
    default: 60,
    meaning:
      "The guess budget: room creations, unknown codes and passphrase tries per address per hour.",
  },
  roomPagesPerHour: {
    env: "ROOM_PAGES_PER_HOUR",
    default: 600,
    meaning: "Room pages an address may open per hour for rooms it is not a member of.",
  },
  joinsPerHour: {
    env: "JOINS_PER_HOUR",
    default: 60,
    meaning: "Rooms an address may join per hour (by code or link).",
  },
  membersPerRoom: {
    env: "MEMBERS_PER_ROOM",
    default: 2000,
    meaning: "Members one room may have; more joins are refused until someone leaves.",
  },
  connectionsPerIp: {
    env: "CONNECTIONS_PER_IP",
    default: 50,
    meaning: "Open signed-in sockets per address (per node).",
  },
  fileBytes: {
    env: "FILE_MAX_MB",
    default: 25,
    unit: MB,
    meaning: "Size of one uploaded file, in MB.",
  },
  roomFileBytes: {
    env: "ROOM_FILES_MAX_MB",
    default: 1000,
    unit: MB,
    meaning: "Size of all files of one room together, in MB.",
  },
  uploadsPerMinute: {
    env: "UPLOADS_PER_MINUTE",
    default: 30,
    meaning: "Uploads per person per minute (bursts up to that many).",
  },
  messagesPerAddressPerSecond: {
    env: "MESSAGE_RATE_PER_ADDRESS",
    default: 30,
    meaning: "Messages per second from one address, sustained (a hall behind one NAT still talks).",
  },
  messageBurstPerAddress: {
    env: "MESSAGE_BURST_PER_ADDRESS",
    default: 200,
    meaning: "Messages one address may send in one burst.",
  },
  typingRelaysPerSecond: {
    env: "TYPING_RELAYS_PER_SECOND",
    default: 4,
    meaning: "Typing changes relayed per person per second; a flood of toggles is coalesced.",
  },
  historyPageBytes: {
    env: "HISTORY_PAGE_KB",
    default: 256,
    unit: 1024,
    meaning:
      "Largest catch-up or scroll-back answer, in KB (one history request per socket at a time).",
  },
  slowConsumerBytes: {
    env: "SLOW_CONSUMER_KB",
    default: 1024,
    unit: 1024,
    meaning: "Unsent bytes a socket may have queued before it is disconnected as too slow, in KB.",
  },
  removalLockoutMs: {
    env: "REMOVAL_LOCKOUT_MINUTES",
    default: 60,
    unit: 60_000,
    meaning:
      "Minutes a removed member's address may not join that room again (their browser: never).",
  },
  ownerActionBurst: {
    env: "OWNER_ACTION_BURST",
    default: 10,
    meaning: "Owner actions (name, lock, remove, hand over, delete) a socket may make in a burst.",
  },
  ownerActionsPerSecond: {
    env: "OWNER_ACTIONS_PER_SECOND",
    default: 1,
    meaning: "Owner actions per socket per second, sustained.",
  },
  passphraseHashesAtOnce: {
    env: "PASSPHRASE_HASHES_AT_ONCE",
    default: 2,
    meaning:
      "Passphrase hashes (scrypt, 32 MB and ~0.1 s of one core each) computed at once per node.",
  },
  passphraseHashQueue: {
    env: "PASSPHRASE_HASH_QUEUE",
    default: 32,
    meaning: "Passphrase checks that may wait for a hash slot; more are answered 'busy'.",
  },
} as const satisfies Record<string, LimitRow>;

interface LimitRow {
  env: string;
  default: number;
  /** The setting is in these units (MB); the limit is in bytes. */
  unit?: number;
  meaning: string;
}

export type Limits = { [K in keyof typeof LIMITS]: number };

const limitSettings = Object.fromEntries(
  Object.values(LIMITS).map((row) => [row.env, z.coerce.number().positive().default(row.default)]),
);

/**
 * Which proxies' `X-Forwarded-*` headers to believe: the nearest `hops` peers, or peers whose
 * address is in `proxies` (addresses and CIDR ranges), as Express's `trust proxy` does.
 */
export type TrustProxy = { hops: number } | { proxies: string[] };

/** Express's names for the usual private ranges. */
const PROXY_RANGES: Record<string, string[]> = {
  loopback: ["127.0.0.1/8", "::1/128"],
  linklocal: ["169.254.0.0/16", "fe80::/10"],
  uniquelocal: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
};

function isAddressOrRange(entry: string): boolean {
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

const trustProxySetting = z.string().transform((value, ctx): TrustProxy => {
  const word = value.trim().toLowerCase();
  if (["true", "yes"].includes(word)) return { hops: 1 };
  if (["false", "no"].includes(word)) return { hops: 0 };
  if (/^\d+$/.test(word)) return { hops: Number(word) };
  const entries = csv.parse(word).flatMap((entry) => PROXY_RANGES[entry] ?? [entry]);
  const bad = entries.find((entry) => !isAddressOrRange(entry));
  if (bad === undefined) return { proxies: entries };
  ctx.addIssue({
    code: "custom",
    message: `"${bad}" is not a hop count, an address or a CIDR range (e.g. 1, or 10.0.0.0/8,::1)`,
  });
  return z.NEVER;
});

/** A host name or address with an optional port, the way a `Host` header carries it. */
const hostSetting = z.string().transform((value, ctx) => {
  try {
    const url = new URL(`http://${value}`);
    if (url.host && `http://${url.host}/` === url.href) return url.host;
  } catch {
    // Falls through to the issue below.
  }
  ctx.addIssue({ code: "custom", message: `"${value}" is not a host like chat.example.org:8080` });
  return z.NEVER;
});

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
  AWAY_NOTICE_MINUTES: z.coerce.number().min(0).default(5),
  TRUST_PROXY: trustProxySetting.default({ hops: 0 }),
  ALLOWED_ORIGINS: allowedOrigins,
  ALLOWED_HOSTS: csv.pipe(z.array(hostSetting)).default([]),
  ...limitSettings,
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
  /** Away for longer than this stores "left" (and coming back "joined"); shorter stores nothing. */
  awayNoticeMs: number;
  trustProxy: TrustProxy;
  /** Origins besides the app's own that may open sockets and post server actions. */
  allowedOrigins: string[];
  /** `Host` values answered besides this machine's own addresses and ALLOWED_ORIGINS' hosts. */
  allowedHosts: string[];
  /** The table of budgets, `LIMITS`, with the configured values. */
  limits: Limits;
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
    awayNoticeMs: Math.round(e.AWAY_NOTICE_MINUTES * 60_000),
    trustProxy: e.TRUST_PROXY,
    allowedOrigins: e.ALLOWED_ORIGINS,
    allowedHosts: e.ALLOWED_HOSTS,
    limits: Object.fromEntries(
      Object.entries(LIMITS).map(([key, row]: [string, LimitRow]) => {
        const value = (e as unknown as Record<string, number>)[row.env]!;
        return [key, row.unit ? Math.round(value * row.unit) : value];
      }),
    ) as Limits,
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
