// Token buckets: bursts are allowed, sustained floods are refused.

export interface RateLimiter {
  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string): boolean;
  /** Seconds until `key` has a token again (0 when it has one now). */
  retryAfterSeconds(key: string): number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export function createRateLimiter(options: {
  capacity: number;
  refillPerSecond: number;
  now?: () => number;
}): RateLimiter {
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
    take(key) {
      const bucket = refill(key);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    retryAfterSeconds(key) {
      const bucket = refill(key);
      return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / refillPerSecond);
    },
  };
}
