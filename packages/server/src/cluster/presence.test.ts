/** The Presence contract on this process's registry and on Redis (TEST_REDIS_URL). */
import { describe, it } from "node:test";
import { presenceContract } from "../chat/presence.contract.js";
import { LocalPresence } from "../chat/presence.js";
import { captureLogs } from "../testing/logs.js";
import { connectRedis, dropKeys, privatePrefix, REDIS_SKIP } from "../testing/redis.js";
import { RedisPresence, TTL_MS } from "./redisPresence.js";

const redisUrl = process.env.TEST_REDIS_URL || undefined;

describe("presence in memory", () => {
  presenceContract(
    async () => {
      const presence = new LocalPresence();
      return { node: async () => presence, close: () => presence.close() };
    },
    { spansNodes: false },
  );
});

if (redisUrl === undefined) {
  it("presence on Redis", { skip: REDIS_SKIP }, () => {});
} else {
  const url = redisUrl;
  describe("presence on Redis", () => {
    presenceContract(
      async () => {
        const prefix = privatePrefix();
        const nodes: RedisPresence[] = [];
        return {
          node: async (options = {}) => {
            const presence = await RedisPresence.connect(url, captureLogs().logger, { prefix, ...options });
            nodes.push(presence);
            return presence;
          },
          close: async () => {
            // A test may have closed a node already.
            await Promise.allSettled(nodes.map((presence) => presence.close()));
            const admin = await connectRedis(url);
            await dropKeys(admin, prefix);
            await admin.quit();
          },
        };
      },
      { spansNodes: true, lapseMs: TTL_MS },
    );
  });
}
