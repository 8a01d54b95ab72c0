/**
 * Redis for the contract suites: a key prefix of one's own, so runs sharing one Redis (pub/sub
 * channels are not per database) never see each other's keys or messages, and a way to move
 * time forward for keys that expire.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

export const REDIS_SKIP = "skipped: set TEST_REDIS_URL to run this suite on Redis";

/** Unique to this call: `parley-test:<pid>:<random>:`. */
export function privatePrefix(): string {
  return `parley-test:${process.pid}:${randomBytes(4).toString("hex")}:`;
}

export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  return redis;
}

async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  return keys;
}

/** Time passing, as far as expiring keys under `prefix` can tell: each TTL shrinks by `ms`. */
export async function advanceKeys(redis: Redis, prefix: string, ms: number): Promise<void> {
  for (const key of await keysUnder(redis, prefix)) {
    const ttl = await redis.pttl(key);
    if (ttl < 0) continue;
    if (ttl <= ms) await redis.del(key);
    else await redis.pexpire(key, ttl - ms);
  }
}

export async function dropKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  if (keys.length > 0) await redis.del(...keys);
}

/** The names of every key under `prefix`, without it. */
export async function keyNames(redis: Redis, prefix: string): Promise<string[]> {
  return (await keysUnder(redis, prefix)).map((key) => key.slice(prefix.length));
}
