/**
 * Presence across nodes, in Redis. Each node counts its own connections and keeps one entry per
 * online visitor or agent in a sorted set, scored by when it lapses; a heartbeat pushes the
 * lapse forward, so the entries of a node that crashed disappear by themselves within TTL_MS.
 *
 *   parley:presence:visitor:<token hash>   members: node ids
 *   parley:presence:agents                 members: "<agent id>:<node id>"
 *   parley:presence:changed                pub/sub: an agent came or went somewhere
 *
 * Scores are times on the nodes' clocks, which are assumed to agree within a few seconds.
 *
 * A visitor's connect, disconnect, a heartbeat's chunk of visitors and a question of who is
 * online are each one Lua script (presenceScripts.ts): one command for Redis to parse and one
 * reply for the node to read, where a connect's MULTI of four commands cost six of each, and the
 * node's garbage with them.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { loadRedis } from "./loadRedis.js";
import type { Logger } from "pino";
import { AvailabilityListeners, ConnectionCounts, type Presence } from "../chat/presence.js";
import { visitorStream } from "../chat/streams.js";
import { withPresenceScripts, type PresenceScripts } from "./presenceScripts.js";

const HEARTBEAT_MS = 10_000;
/** A node's entries lapse this long after its last heartbeat. */
export const TTL_MS = 30_000;
/** Visitors refreshed per script call during a heartbeat. */
const BEAT_CHUNK = 500;

export interface RedisPresenceOptions {
  /** Before every key and channel (tests give each run its own). */
  prefix?: string;
  /** This node's clock, in ms. */
  now?: () => number;
  /** How often this node pushes its entries' lapse forward (tests beat faster). */
  heartbeatMs?: number;
}

export class RedisPresence implements Presence {
  private readonly nodeId = randomUUID();
  private readonly visitors = new ConnectionCounts<string>();
  private readonly agents = new ConnectionCounts<number>();
  private readonly availability = new AvailabilityListeners();
  private readonly agentsChanged = new AvailabilityListeners<void>();
  private online: ReadonlySet<number> = new Set();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly agentsKey: string;
  private readonly changedChannel: string;

  private constructor(
    private readonly redis: Redis & PresenceScripts,
    private readonly subscriber: Redis,
    private readonly logger: Logger,
    private readonly prefix: string,
    private readonly now: () => number,
    heartbeatMs: number,
  ) {
    this.agentsKey = `${prefix}presence:agents`;
    this.changedChannel = `${prefix}presence:changed`;
    subscriber.on("message", () => void this.refreshAvailability());
    // After a Redis outage another node's agent may have come or gone unseen.
    subscriber.on("ready", () => void this.refreshAvailability());
    for (const client of [redis, subscriber]) {
      client.on("error", (error: Error) => logger.debug({ err: error }, "presence: Redis error"));
    }
    this.heartbeat = setInterval(() => {
      this.beat().catch((error: unknown) => logger.warn({ err: error }, "presence: heartbeat failed"));
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  static async connect(
    url: string,
    logger: Logger,
    { prefix = "parley:", now = Date.now, heartbeatMs = HEARTBEAT_MS }: RedisPresenceOptions = {},
  ): Promise<RedisPresence> {
    const options = { lazyConnect: true, maxRetriesPerRequest: null, connectTimeout: 5000 };
    const Redis = await loadRedis();
    const redis = new Redis(url, options);
    const subscriber = new Redis(url, options);
    try {
      await Promise.all([redis.connect(), subscriber.connect()]);
      await subscriber.subscribe(`${prefix}presence:changed`);
    } catch (error) {
      redis.disconnect();
      subscriber.disconnect();
      throw new Error(
        `REDIS_URL: cannot connect to Redis (${error instanceof Error ? error.message : String(error)})`,
        {
          cause: error,
        },
      );
    }
    const presence = new RedisPresence(
      withPresenceScripts(redis),
      subscriber,
      logger,
      prefix,
      now,
      heartbeatMs,
    );
    // Known before the node takes connections: a visitor's first `availability` must be right.
    await presence.refreshAvailability();
    return presence;
  }

  async visitorConnected(token: string): Promise<boolean> {
    if (!this.visitors.add(token)) return false;
    const now = this.now();
    // A script runs alone: of two nodes adding the same visitor at once, only one sees a count of 1.
    const count = await this.redis.presenceJoin(
      this.visitorKey(token),
      now,
      now + TTL_MS,
      this.nodeId,
      TTL_MS,
    );
    return count === 1;
  }

  async visitorDisconnected(token: string): Promise<boolean> {
    if (!this.visitors.remove(token)) return false;
    const count = await this.redis.presenceLeave(this.visitorKey(token), this.now(), this.nodeId);
    return count === 0;
  }

  async onlineVisitors(tokens: readonly string[]): Promise<Set<string>> {
    if (tokens.length === 0) return new Set();
    const keys = tokens.map((token) => this.visitorKey(token));
    const counts = await this.redis.presenceOnline(keys.length, ...keys, this.now());
    return new Set(tokens.filter((_, index) => (counts[index] ?? 0) > 0));
  }

  async agentConnected(agentId: number): Promise<void> {
    if (this.agents.add(agentId)) {
      await this.redis.zadd(this.agentsKey, this.now() + TTL_MS, `${agentId}:${this.nodeId}`);
      await this.redis.publish(this.changedChannel, this.nodeId);
      // This node's own answer is current when the call resolves, as on a single node; other
      // nodes refresh when the notice reaches them.
      await this.refreshAvailability();
    }
  }

  async agentDisconnected(agentId: number): Promise<void> {
    if (this.agents.remove(agentId)) {
      await this.redis.zrem(this.agentsKey, `${agentId}:${this.nodeId}`);
      await this.redis.publish(this.changedChannel, this.nodeId);
      await this.refreshAvailability();
    }
  }

  async onlineAgents(): Promise<Set<number>> {
    const members = await this.redis.zrangebyscore(this.agentsKey, this.now(), "+inf");
    return new Set(members.map((member) => Number(member.split(":")[0])));
  }

  get anyAgentOnline(): boolean {
    return this.online.size > 0;
  }

  get knownOnlineAgents(): ReadonlySet<number> {
    return this.online;
  }

  onAvailabilityChange(listener: (online: boolean) => void): () => void {
    return this.availability.add(listener);
  }

  onAgentsChange(listener: () => void): () => void {
    return this.agentsChanged.add(listener);
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    try {
      const pipeline = this.redis.pipeline();
      for (const token of this.visitors.keys()) pipeline.zrem(this.visitorKey(token), this.nodeId);
      for (const agentId of this.agents.keys()) pipeline.zrem(this.agentsKey, `${agentId}:${this.nodeId}`);
      await pipeline.exec();
      if (this.agents.size > 0) await this.redis.publish(this.changedChannel, this.nodeId);
    } finally {
      await Promise.allSettled([this.redis.quit(), this.subscriber.quit()]);
    }
  }

  /**
   * Pushes this node's entries' lapse forward and drops every node's lapsed ones. Visitors go in
   * chunks, one script call each, so tens of thousands of them never hold the event loop (and
   * every message behind it), nor Redis, for the whole beat.
   */
  private async beat(): Promise<void> {
    const now = this.now();
    const tokens = this.visitors.keys();
    for (let start = 0; start < tokens.length; start += BEAT_CHUNK) {
      const keys = tokens.slice(start, start + BEAT_CHUNK).map((token) => this.visitorKey(token));
      await this.redis.presenceBeat(keys.length, ...keys, now + TTL_MS, this.nodeId, TTL_MS);
    }
    const pipeline = this.redis.pipeline();
    for (const agentId of this.agents.keys())
      pipeline.zadd(this.agentsKey, now + TTL_MS, `${agentId}:${this.nodeId}`);
    pipeline.zremrangebyscore(this.agentsKey, "-inf", now);
    await pipeline.exec();
    await this.refreshAvailability();
  }

  /** The token's hash (as its broker stream uses), never the token itself. */
  private visitorKey(token: string): string {
    return `${this.prefix}presence:${visitorStream(token)}`;
  }

  /**
   * Re-reads which agents are online and tells this node's listeners what changed: whether any
   * is, and the set. Never rejects. Redis answers one connection's commands in order, so the
   * last answer read is the newest.
   */
  private refreshAvailability(): Promise<void> {
    return this.redis.zrangebyscore(this.agentsKey, this.now(), "+inf").then(
      (members) => {
        const online = new Set(members.map((member) => Number(member.split(":")[0])));
        const before = this.online;
        if (online.size === before.size && [...online].every((id) => before.has(id))) return;
        this.online = online;
        if (online.size > 0 !== before.size > 0) this.availability.emit(online.size > 0);
        this.agentsChanged.emit();
      },
      (error: unknown) => this.logger.warn({ err: error }, "presence: availability refresh failed"),
    );
  }
}
