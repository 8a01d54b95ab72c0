/** ioredis is imported when a node connects to REDIS_URL, not at boot: one node never loads it. */
import { loadOnce } from "../loadOnce.js";
import { importPackage } from "../importPackage.js";

export const loadRedis = loadOnce(
  async () => (await importPackage<typeof import("ioredis")>("ioredis")).Redis,
);
