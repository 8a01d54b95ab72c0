/**
 * Limits shared by every node, counted in Redis: a visitor who hops between nodes still has one
 * allowance. The counting is chat/rateLimits.ts's, over rate-limiter-flexible's Redis store
 * instead of its memory one, so a limit behaves the same on one node and on many; Redis expires
 * each window's key by itself. While Redis cannot be reached, each node counts in its own memory
 * (the library's insurance limiter): a Redis restart must not turn every message into an error.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import { FlexibleLimiter, type LimitRule, type Limiter } from "../chat/rateLimits.js";

/** `prefix` namespaces every key (tests give each run its own). */
export function redisLimiter(redis: Redis, rule: LimitRule, prefix = "parley:"): Limiter {
  if (rule.points === 0) return new FlexibleLimiter(undefined);
  const keyPrefix = `${prefix}limit:${rule.name}`;
  const options = { keyPrefix, points: rule.points, duration: rule.windowSeconds };
  const limiter = new RateLimiterRedis({
    ...options,
    storeClient: redis,
    insuranceLimiter: new RateLimiterMemory(options),
  });
  return new HashedKeys(new FlexibleLimiter(limiter));
}

/**
 * Keys are visitor tokens, addresses and usernames; Redis holds their hashes, so whoever can
 * read Redis does not find a visitor's token there (presence and the broker do the same).
 */
class HashedKeys implements Limiter {
  constructor(private readonly inner: Limiter) {}

  take(key: string) {
    return this.inner.take(hash(key));
  }

  refund(key: string) {
    return this.inner.refund(hash(key));
  }

  forget(key: string) {
    return this.inner.forget(hash(key));
  }
}

function hash(key: string): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 32);
}
