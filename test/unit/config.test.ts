import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, LIMITS, parseAllowedOrigins, parseConfig } from "@/lib/server/config";
import { loadEnvironment } from "@/lib/server/env-file";

const SECRET = "a-secret-that-is-long-enough-for-iron-session!";
const fail = (message: string) => expect.unreachable(message);

describe("configuration", () => {
  it("has working defaults with only a secret", () => {
    const config = parseConfig({ SESSION_SECRET: SECRET }, "/srv/chat");
    expect(config).toMatchObject({
      port: 3000,
      host: "0.0.0.0",
      databasePath: "/srv/chat/data/roomcode.db",
      roomIdleMs: 24 * 3_600_000,
      trustProxy: { hops: 0 },
      allowedOrigins: [],
      allowedHosts: [],
      sessionSecrets: [SECRET],
    });
  });

  it("refuses a secret that is too short, saying which setting and why", () => {
    expect(() => parseConfig({ SESSION_SECRET: "short" })).toThrow(ConfigError);
    expect(() => parseConfig({ SESSION_SECRET: "short" })).toThrow(
      /SESSION_SECRET must be at least 32 characters/,
    );
  });

  it("reads every setting and rejects nonsense", () => {
    const config = parseConfig({
      SESSION_SECRET: SECRET,
      SESSION_SECRET_PREVIOUS: `${"o".repeat(32)}, ${"p".repeat(40)}`,
      PORT: "8080",
      HOST: "127.0.0.1",
      DATABASE_PATH: "/var/lib/chat.db",
      ROOM_IDLE_HOURS: "0.5",
      TRUST_PROXY: "true",
      ALLOWED_ORIGINS: "https://chat.example.org/, http://10.0.0.5:3000",
    });
    expect(config.sessionSecrets).toEqual([SECRET, "o".repeat(32), "p".repeat(40)]);
    expect(config).toMatchObject({
      port: 8080,
      host: "127.0.0.1",
      databasePath: "/var/lib/chat.db",
      roomIdleMs: 1_800_000,
      trustProxy: { hops: 1 },
    });
    expect(config.allowedOrigins).toEqual(["https://chat.example.org", "http://10.0.0.5:3000"]);
    expect(() => parseConfig({ SESSION_SECRET: SECRET, PORT: "seventy" })).toThrow(/PORT/);
    expect(() => parseConfig({ SESSION_SECRET: SECRET, ALLOWED_ORIGINS: "not a url" })).toThrow(
      /not an origin/,
    );
    expect(() => parseConfig({ SESSION_SECRET: SECRET, DATABASE_URL: "mysql://x" })).toThrow(
      /postgres/,
    );
  });

  it("gives next.config.ts the same allowed origins, refusing a bad entry rather than dropping it", () => {
    const value = "https://chat.example.org/, http://10.0.0.5:3000";
    expect(parseAllowedOrigins(value)).toEqual(
      parseConfig({ SESSION_SECRET: SECRET, ALLOWED_ORIGINS: value }).allowedOrigins,
    );
    expect(parseAllowedOrigins(undefined)).toEqual([]);
    expect(() => parseAllowedOrigins("https://chat.example.org, chat.example.net")).toThrow(
      /ALLOWED_ORIGINS.*"chat.example.net" is not an origin/,
    );
  });
});

describe("proxies, hosts and limits", () => {
  const parse = (env: Record<string, string>) => parseConfig({ SESSION_SECRET: SECRET, ...env });

  it("reads TRUST_PROXY as a hop count or a list of proxy addresses and ranges", () => {
    expect(parse({ TRUST_PROXY: "false" }).trustProxy).toEqual({ hops: 0 });
    expect(parse({ TRUST_PROXY: "1" }).trustProxy).toEqual({ hops: 1 });
    expect(parse({ TRUST_PROXY: "2" }).trustProxy).toEqual({ hops: 2 });
    expect(parse({ TRUST_PROXY: "10.0.0.0/8, ::1, 192.168.1.20" }).trustProxy).toEqual({
      proxies: ["10.0.0.0/8", "::1", "192.168.1.20"],
    });
    expect(parse({ TRUST_PROXY: "loopback" }).trustProxy).toEqual({
      proxies: ["127.0.0.1/8", "::1/128"],
    });
    expect(() => parse({ TRUST_PROXY: "nginx" })).toThrow(/TRUST_PROXY: "nginx" is not a hop/);
    expect(() => parse({ TRUST_PROXY: "10.0.0.0/33" })).toThrow(/TRUST_PROXY/);
  });

  it("reads ALLOWED_HOSTS as host names with optional ports", () => {
    expect(parse({ ALLOWED_HOSTS: "Chat.Example.org, 10.0.0.5:8080" }).allowedHosts).toEqual([
      "chat.example.org",
      "10.0.0.5:8080",
    ]);
    expect(() => parse({ ALLOWED_HOSTS: "https://chat.example.org/x" })).toThrow(/ALLOWED_HOSTS/);
  });

  it("has a default and a setting for every row of the limits table", () => {
    const defaults = parse({}).limits;
    for (const [key, row] of Object.entries(LIMITS)) {
      const unit = "unit" in row ? row.unit : 1;
      expect(defaults[key as keyof typeof LIMITS]).toBe(row.default * unit);
      expect(parse({ [row.env]: "7" }).limits[key as keyof typeof LIMITS]).toBe(7 * unit);
      expect(() => parse({ [row.env]: "-1" })).toThrow(row.env);
    }
    expect(defaults.membersPerRoom).toBe(2000);
  });

  it("documents every limit, with its default, in the README and .env.local.example", () => {
    const readme = readFileSync(path.join(__dirname, "../../README.md"), "utf8");
    const example = readFileSync(path.join(__dirname, "../../.env.local.example"), "utf8");
    for (const row of Object.values(LIMITS)) {
      expect(readme).toMatch(new RegExp(`\\| \`${row.env}\` +\\| \`${row.default}\` +\\|`));
      expect(example).toContain(`# ${row.env}=${row.default}\n`);
    }
  });
});

describe("first start", () => {
  let dir: string;
  const saved = process.env.SESSION_SECRET;
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.SESSION_SECRET;
    else process.env.SESSION_SECRET = saved;
  });

  it("makes a strong secret and saves it to .env.local when none is set", () => {
    dir = mkdtempSync(path.join(tmpdir(), "roomcode-env-"));
    writeFileSync(path.join(dir, ".env.local"), "PORT=4000");
    delete process.env.SESSION_SECRET;
    expect(loadEnvironment(dir, true, fail)).toMatch(/generated a new one/);
    const file = readFileSync(path.join(dir, ".env.local"), "utf8");
    expect(file).toMatch(/^PORT=4000\n#.*\nSESSION_SECRET=[A-Za-z0-9_-]{43}\n$/);
    expect(process.env.SESSION_SECRET).toHaveLength(43);
    expect(parseConfig(process.env).sessionSecrets).toEqual([process.env.SESSION_SECRET]);
  });

  it("leaves an existing secret alone", () => {
    dir = mkdtempSync(path.join(tmpdir(), "roomcode-env-"));
    process.env.SESSION_SECRET = SECRET;
    expect(loadEnvironment(dir, true, fail)).toBeNull();
  });
});
