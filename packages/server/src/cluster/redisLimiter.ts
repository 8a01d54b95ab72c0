/**
 * A limit shared by every node, kept in Redis with rate-limiter-flexible: a visitor who hops
 * between nodes still has one allowance. Windows are fixed (`points` per `windowSeconds`),
 * which Redis expires by itself, so there is nothing to sweep. While Redis cannot be reached,
 * each node counts in its own memory instead (the library's insurance limiter): a Redis restart
 * must not turn every message into an error.
 */
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { LimitResult, Limiter } from "../chat/rateLimits.js";

export class RedisLimiter implements Limiter {
  private readonly limiter: RateLimiterRedis | undefined;

  constructor(redis: Redis, name: string, points: number, windowSeconds: number) {
    // 0 points turns the limit off, as NEW_CONVERSATIONS_PER_IP_PER_HOUR=0 does.
    this.limiter =
      points === 0
        ? undefined
        : new RateLimiterRedis({
            storeClient: redis,
            keyPrefix: `parley:limit:${name}`,
            points,
            duration: windowSeconds,
            insuranceLimiter: new RateLimiterMemory({ keyPrefix: `parley:limit:${name}`, points, duration: windowSeconds }),
          });
  }

  async take(key: string): Promise<LimitResult> {
    if (this.limiter === undefined) return { ok: true };
    try {
      await this.limiter.consume(key);
      return { ok: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { ok: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
      throw rejection;
    }
  }

  sweep(): void {}

  async forget(key: string): Promise<void> {
    await this.limiter?.delete(key);
  }

  async refund(key: string): Promise<void> {
    await this.limiter?.reward(key, 1);
  }
}
