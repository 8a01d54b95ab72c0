/** ioredis is imported when a node connects to REDIS_URL, not at boot: one node never loads it. */
import { loadOnce } from "../loadOnce.js";

export const loadRedis = loadOnce(async () => (await import("ioredis")).Redis);
