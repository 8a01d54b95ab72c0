/**
 * The Limiter contract on both stores: memory on a mocked clock, Redis (TEST_REDIS_URL) with
 * time moved forward by shrinking its keys' TTLs. Then what only a shared store does.
 */
import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import { Redis } from "ioredis";
import { limiterContract } from "../chat/rateLimits.contract.js";
import { memoryLimiter, type LimitRule } from "../chat/rateLimits.js";
import {
  advanceKeys,
  connectRedis,
  dropKeys,
  keyNames,
  privatePrefix,
  REDIS_SKIP,
} from "../testing/redis.js";
import { redisLimiter } from "./redisLimiter.js";

const redisUrl = process.env.TEST_REDIS_URL || undefined;
const RULE: LimitRule = { name: "messages", points: 3, windowSeconds: 60 };

describe("limiter in memory", () => {
  limiterContract(async () => {
    mock.timers.enable({ apis: ["Date", "setTimeout"], now: Date.UTC(2030, 0, 1) });
    return {
      limiter: memoryLimiter,
      advance: async (ms) => mock.timers.tick(ms),
      close: async () => mock.timers.reset(),
    };
  });
});

if (redisUrl === undefined) {
  it("limiter on Redis", { skip: REDIS_SKIP }, () => {});
} else {
  const url = redisUrl;
  describe("limiter on Redis", () => {
    limiterContract(async () => {
      const redis = await connectRedis(url);
      const prefix = privatePrefix();
      return {
        limiter: (rule) => redisLimiter(redis, rule, prefix),
        advance: (ms) => advanceKeys(redis, prefix, ms),
        close: async () => {
          await dropKeys(redis, prefix);
          await redis.quit();
        },
      };
    });

    it("holds one allowance for every node", async () => {
      const [first, second] = await Promise.all([connectRedis(url), connectRedis(url)]);
      const prefix = privatePrefix();
      try {
        const [a, b] = [redisLimiter(first, RULE, prefix), redisLimiter(second, RULE, prefix)];
        const results = [await a.take("k"), await b.take("k"), await a.take("k"), await b.take("k")];
        assert.deepEqual(
          results.map((result) => result.ok),
          [true, true, true, false],
        );
      } finally {
        await dropKeys(first, prefix);
        await Promise.all([first.quit(), second.quit()]);
      }
    });

    it("keeps hashes of keys in Redis, never a visitor's token", async () => {
      const redis = await connectRedis(url);
      const prefix = privatePrefix();
      try {
        await redisLimiter(redis, RULE, prefix).take("visitor-token-0123456789");
        const names = await keyNames(redis, prefix);
        assert.equal(names.length, 1);
        assert.match(names[0]!, /^limit:messages:[\w-]{32}$/);
        assert.ok(!names[0]!.includes("visitor-token"));
      } finally {
        await dropKeys(redis, prefix);
        await redis.quit();
      }
    });

    it("counts in this node's memory while Redis cannot be reached, instead of failing", async () => {
      // Nothing listens on port 1; without an offline queue every command fails at once.
      const unreachable = new Redis("redis://127.0.0.1:1", {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
      });
      try {
        const limiter = redisLimiter(unreachable, RULE, privatePrefix());
        const results = [];
        for (let i = 0; i < 4; i++) results.push(await limiter.take("k"));
        assert.deepEqual(
          results.map((result) => result.ok),
          [true, true, true, false],
        );
        const refused = results[3]!;
        assert.ok(!refused.ok && refused.retryAfterMs > 59_000 && refused.retryAfterMs <= 60_000);
        await limiter.forget("k");
        assert.equal((await limiter.take("k")).ok, true);
      } finally {
        unreachable.disconnect();
      }
    });
  });
}
