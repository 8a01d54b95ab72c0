/** The Broker contract on the in-process broker and on Redis (TEST_REDIS_URL). */
import { describe, it } from "node:test";
import type { Broker } from "./broker.js";
import { brokerContract } from "./broker.contract.js";
import { MemoryBroker } from "./memoryBroker.js";
import { RedisBroker, type RedisBrokerOptions } from "./redisBroker.js";
import { captureLogs } from "../testing/logs.js";
import { connectRedis, privatePrefix, REDIS_SKIP } from "../testing/redis.js";

const redisUrl = process.env.TEST_REDIS_URL || undefined;

describe("broker in memory", () => {
  brokerContract(async () => {
    const broker = new MemoryBroker(captureLogs().logger);
    return { node: async () => broker, spansNodes: false, close: () => broker.close() };
  });
});

if (redisUrl === undefined) {
  it("broker on Redis", { skip: REDIS_SKIP }, () => {});
} else {
  const url = redisUrl;
  /** The contract on Redis brokers made with `options` (each harness has its own prefix). */
  const onRedis = (options: RedisBrokerOptions) =>
    brokerContract(async () => {
      const prefix = privatePrefix();
      const admin = await connectRedis(url);
      const nodes: Broker[] = [];
      return {
        node: async () => {
          const broker = await RedisBroker.connect(url, captureLogs().logger, { ...options, prefix });
          nodes.push(broker);
          return broker;
        },
        spansNodes: true,
        // Kills this run's subscriber connections (found by name); the brokers reconnect.
        interrupt: async () => {
          const clients = (await admin.client("LIST")) as string;
          const ids = clients
            .split("\n")
            .filter((line) => line.includes(` name=${prefix}broker:subscriber `))
            .map((line) => /\bid=(\d+)/.exec(line)![1]!);
          if (ids.length === 0) throw new Error("no subscriber connection of this run found");
          for (const id of ids) await admin.client("KILL", "ID", id);
        },
        close: async () => {
          await Promise.all(nodes.map((broker) => broker.close()));
          await admin.quit();
        },
      };
    });
  describe("broker on Redis, a channel per stream", () => onRedis({}));
  // Every stream name starts with "": the whole contract runs through one pattern subscription.
  describe("broker on Redis, every stream through a pattern", () => onRedis({ patternFamilies: [""] }));
}
