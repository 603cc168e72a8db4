// Token buckets: bursts are allowed, sustained floods are refused. In memory for one process,
// or in Redis so that every node draws from the same bucket.
import type { RedisClient } from "./redis";

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes one token for `key`; refused when the bucket is empty. */
  take(key: string): Promise<RateDecision>;
  /** Whether `key` has a token, without taking it. */
  peek(key: string): Promise<RateDecision>;
}

export interface BucketOptions {
  capacity: number;
  refillPerSecond: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

function decide(tokens: number, refillPerSecond: number): RateDecision {
  return tokens >= 1
    ? { allowed: true }
    : { allowed: false, retryAfterSeconds: Math.ceil((1 - tokens) / refillPerSecond) };
}

export function createRateLimiter(options: BucketOptions & { now?: () => number }): RateLimiter {
  const { capacity, refillPerSecond, now = Date.now } = options;
  const buckets = new Map<string, Bucket>();
  const fullAfterMs = (capacity / refillPerSecond) * 1000;

  function refill(key: string): Bucket {
    const time = now();
    const bucket = buckets.get(key) ?? { tokens: capacity, updatedAt: time };
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + ((time - bucket.updatedAt) / 1000) * refillPerSecond,
    );
    bucket.updatedAt = time;
    buckets.set(key, bucket);
    return bucket;
  }

  // Full buckets carry no information; dropping them keeps memory bounded by active keys.
  const sweeper = setInterval(
    () => {
      const time = now();
      for (const [key, bucket] of buckets)
        if (time - bucket.updatedAt > fullAfterMs) buckets.delete(key);
    },
    Math.max(1000, Math.min(fullAfterMs, 60_000)),
  );
  sweeper.unref();

  return {
    async take(key) {
      const bucket = refill(key);
      const decision = decide(bucket.tokens, refillPerSecond);
      if (decision.allowed) bucket.tokens -= 1;
      return decision;
    },
    async peek(key) {
      return decide(refill(key).tokens, refillPerSecond);
    },
  };
}

/**
 * The same bucket as a Redis hash, updated atomically by a script on Redis's own clock, so nodes
 * with drifting clocks still agree. ARGV: capacity, refill per second, cost (0 peeks, 1 takes).
 */
const BUCKET_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local stored = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
local before = math.min(capacity, stored + math.max(0, now - at) / 1000 * rate)
local after = before
if before >= 1 then after = before - cost end
if cost > 0 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(after), 'at', now)
  redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
end
return tostring(before)
`;

export function createRedisRateLimiter(
  redis: RedisClient,
  prefix: string,
  options: BucketOptions,
): RateLimiter {
  const { capacity, refillPerSecond } = options;
  async function run(key: string, cost: 0 | 1): Promise<RateDecision> {
    // The script returns the tokens there were before taking, so one rule decides for both modes.
    const before = Number(
      await redis.eval(BUCKET_SCRIPT, {
        keys: [`${prefix}${key}`],
        arguments: [String(capacity), String(refillPerSecond), String(cost)],
      }),
    );
    return decide(before, refillPerSecond);
  }
  return { take: (key) => run(key, 1), peek: (key) => run(key, 0) };
}
