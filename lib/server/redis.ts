// The Redis connection behind cross-node delivery and shared rate limits (only when REDIS_URL is set).
import { createClient } from "redis";

export type RedisClient = ReturnType<typeof createClient>;

export async function connectRedis(
  url: string,
  onError: (error: unknown) => void,
): Promise<RedisClient> {
  const client = createClient({ url });
  // Without a listener a lost connection would crash the process; the client reconnects by itself.
  client.on("error", onError);
  await client.connect();
  return client;
}
