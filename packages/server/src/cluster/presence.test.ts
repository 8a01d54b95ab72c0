/** The Presence contract on this process's registry and on Redis (TEST_REDIS_URL). */
import assert from "node:assert/strict";
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

    it("keeps a beating node's visitors and agents online past their first lapse", async () => {
      const prefix = privatePrefix();
      const logger = captureLogs().logger;
      // Both nodes' clocks; b beats every 20 ms, as it would every 10 s.
      let later = 0;
      const now = () => Date.now() + later;
      const a = await RedisPresence.connect(url, logger, { prefix, now });
      const b = await RedisPresence.connect(url, logger, { prefix, now, heartbeatMs: 20 });
      try {
        for (const token of ["v1", "v2", "v3"]) await b.visitorConnected(token);
        await b.agentConnected(7);
        // Near the first lapse: the beats from here on push it a whole TTL further.
        later = TTL_MS - 1000;
        await new Promise((resolve) => setTimeout(resolve, 200));
        later = TTL_MS + 1000;
        assert.deepEqual(await a.onlineVisitors(["v1", "v2", "v3", "v4"]), new Set(["v1", "v2", "v3"]));
        assert.deepEqual(await a.onlineAgents(), new Set([7]));
      } finally {
        await Promise.allSettled([a.close(), b.close()]);
        const admin = await connectRedis(url);
        await dropKeys(admin, prefix);
        await admin.quit();
      }
    });
  });
}
