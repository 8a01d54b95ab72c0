/**
 * The Lua scripts of Redis presence (redisPresence.ts), defined on its connection. ioredis sends
 * each by its SHA and loads it again by itself after a Redis restart. A script runs alone on
 * Redis, so it is as atomic as the MULTI it replaces.
 *
 * Keys and members are those redisPresence.ts documents: a visitor's sorted set of node ids,
 * scored by when each node's entry lapses.
 */
import type { Redis } from "ioredis";

/** The scripts, as commands of the connection; counts are the visitor's nodes after the change. */
export interface PresenceScripts {
  /** Drops lapsed entries, adds (or pushes forward) this node's, keeps the key as long: the count. */
  presenceJoin(key: string, now: number, lapse: number, nodeId: string, ttlMs: number): Promise<number>;
  /** Removes this node's entry and lapsed ones: the count. */
  presenceLeave(key: string, now: number, nodeId: string): Promise<number>;
  /** Pushes this node's entry in each of `keyCount` visitors' sets forward: how many. */
  presenceBeat(keyCount: number, ...keysThenLapseNodeTtl: (string | number)[]): Promise<number>;
  /** Each of `keyCount` visitors' count of nodes whose entry has not lapsed at `now`, in order. */
  presenceOnline(keyCount: number, ...keysThenNow: (string | number)[]): Promise<number[]>;
}

const JOIN = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return redis.call('ZCARD', KEYS[1])
`;

const LEAVE = `
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
return redis.call('ZCARD', KEYS[1])
`;

const BEAT = `
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, ARGV[1], ARGV[2])
  redis.call('PEXPIRE', key, ARGV[3])
end
return #KEYS
`;

const ONLINE = `
local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('ZCOUNT', key, ARGV[1], '+inf')
end
return counts
`;

/** The connection with the scripts defined on it (ioredis adds them as methods). */
export function withPresenceScripts(redis: Redis): Redis & PresenceScripts {
  redis.defineCommand("presenceJoin", { numberOfKeys: 1, lua: JOIN });
  redis.defineCommand("presenceLeave", { numberOfKeys: 1, lua: LEAVE });
  // The number of keys varies with the chunk: the caller passes it first.
  redis.defineCommand("presenceBeat", { lua: BEAT });
  redis.defineCommand("presenceOnline", { lua: ONLINE });
  return redis as Redis & PresenceScripts;
}
