/**
 * The cluster broker: Redis pub/sub between Parley nodes. Every stream is published on the
 * Redis channel `<prefix>stream:<stream>`; how a node hears it depends on the stream's family:
 *
 * - Streams of a *pattern family* (`patternFamilies`: the visitors' streams, one per visitor)
 *   are heard through one pattern subscription per family and node (`<prefix>stream:visitor:*`),
 *   made at the family's first subscribe and kept. A visitor's connect then costs no Redis
 *   command and no per-channel memory in ioredis or Redis (a channel per visitor stream made a
 *   node with Redis hold and churn more memory per visitor than one without).
 *   The trade-off: each node receives every publish of the family, its own visitors' and the
 *   other nodes', and drops those of streams nobody here listens to (a Map lookup; the JSON is
 *   not parsed). With N nodes a visitor-stream publish reaches N nodes instead of one, so the
 *   traffic grows with nodes × messages, as the agents' stream (which carries every message to
 *   every node) already does, but not with nodes × streams. Sharding the family into K channels
 *   would only help a node with fewer visitors than K: with thousands per node, every node
 *   subscribes every shard and receives everything anyway. docs/benchmarks.md has the figures.
 * - Other streams (the agents', the sites', the process notices: a few per node, each heard by
 *   many listeners) get a channel subscription each, made by the stream's first listener and
 *   shared by the later ones (no repeated SUBSCRIBE), dropped with its last.
 *
 * Channel names are the same for both, so nodes that subscribe per visitor stream and nodes that
 * use the pattern hear each other during a rolling deploy.
 *
 * Redis pub/sub forgets what it could not deliver. When the subscriber connection drops and comes
 * back, every channel and pattern is subscribed again and `onGap` listeners run, so subscriptions
 * re-read what they missed from the store. Publishes made while Redis is away wait in the
 * client's queue and go out on reconnect.
 */
import type { Redis } from "ioredis";
import { loadRedis } from "../cluster/loadRedis.js";
import type { Logger } from "pino";
import type { Broker, BrokerEvent, Listener, Publication } from "./broker.js";
import { StreamListeners, type ListenerEntry } from "./streamListeners.js";

const CONNECT_TIMEOUT_MS = 5000;

export interface RedisBrokerOptions {
  /** Before every channel and client name; tests give each run its own (pub/sub spans databases). */
  prefix?: string;
  /**
   * Stream-name prefixes of families with a stream per visitor (chat/streams.ts), heard through
   * one pattern subscription each. They must not overlap.
   */
  patternFamilies?: readonly string[];
}

/** A stream with listeners on this node, and the subscription that carries it, once confirmed. */
interface Heard {
  readonly listeners: StreamListeners;
  readonly ready: Promise<unknown>;
}

export class RedisBroker implements Broker {
  private readonly streams = new Map<string, Heard>();
  /** Pattern families subscribed (or being subscribed): family → its PSUBSCRIBE. */
  private readonly patterns = new Map<string, Promise<unknown>>();
  private readonly gapListeners = new Set<() => void>();
  private lostConnection = false;
  private tap: Listener | undefined;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly logger: Logger,
    /** Redis channel = this + stream name. */
    private readonly channelPrefix: string,
    private readonly patternFamilies: readonly string[],
  ) {
    subscriber.on("message", (channel: string, text: string) => {
      const stream = channel.slice(channelPrefix.length);
      if (this.familyOf(stream) === undefined) this.deliver(stream, text);
    });
    subscriber.on("pmessage", (pattern: string, channel: string, text: string) => {
      const stream = channel.slice(channelPrefix.length);
      const family = this.familyOf(stream);
      // Only through the pattern of the stream's own family: never twice.
      if (family !== undefined && pattern === this.patternOf(family)) this.deliver(stream, text);
    });
    subscriber.on("close", () => {
      if (!this.lostConnection) logger.warn("broker: Redis subscriber connection lost");
      this.lostConnection = true;
    });
    subscriber.on("ready", () => {
      if (this.lostConnection) void this.recover();
    });
    for (const client of [publisher, subscriber]) {
      client.on("error", (error: Error) => logger.debug({ err: error }, "broker: Redis error"));
    }
  }

  /** Connects both clients; fails (naming REDIS_URL) when Redis does not answer at boot. */
  static async connect(
    url: string,
    logger: Logger,
    { prefix = "parley:", patternFamilies = [] }: RedisBrokerOptions = {},
  ): Promise<RedisBroker> {
    // maxRetriesPerRequest null: a publish waits for Redis to come back instead of failing.
    const options = { lazyConnect: true, maxRetriesPerRequest: null, connectTimeout: CONNECT_TIMEOUT_MS };
    const Redis = await loadRedis();
    // Named, so an operator can tell them apart in CLIENT LIST.
    const publisher = new Redis(url, { ...options, connectionName: `${prefix}broker:publisher` });
    const subscriber = new Redis(url, {
      ...options,
      autoResubscribe: false,
      connectionName: `${prefix}broker:subscriber`,
    });
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      throw new Error(
        `REDIS_URL: cannot connect to Redis (${error instanceof Error ? error.message : String(error)})`,
        {
          cause: error,
        },
      );
    }
    return new RedisBroker(publisher, subscriber, logger, `${prefix}stream:`, patternFamilies);
  }

  async publish(stream: string, event: BrokerEvent): Promise<void> {
    await this.publisher.publish(this.channelPrefix + stream, JSON.stringify(event));
  }

  async subscribe(stream: string, listener: Listener): Promise<() => void> {
    let heard = this.streams.get(stream);
    if (heard === undefined) {
      heard = { listeners: new StreamListeners(), ready: this.hear(stream) };
      this.streams.set(stream, heard);
    }
    const entry: ListenerEntry = { listener };
    heard.listeners.add(entry);
    const current = heard;
    const unsubscribe = () => {
      current.listeners.delete(entry);
      if (current.listeners.size > 0 || this.streams.get(stream) !== current) return;
      this.streams.delete(stream);
      // A pattern family's subscription stays for the family's other streams.
      if (this.familyOf(stream) !== undefined) return;
      this.subscriber.unsubscribe(this.channelPrefix + stream).catch((error: unknown) => {
        this.logger.debug({ err: error, stream }, "broker: unsubscribe failed");
      });
    };
    // Redis answers commands in order: once the stream's SUBSCRIBE (or its family's PSUBSCRIBE)
    // is confirmed, it is live for every listener, the first one's or a later one's.
    try {
      await current.ready;
    } catch (error) {
      unsubscribe();
      // The next subscribe tries again rather than awaiting this failure.
      if (this.streams.get(stream) === current) this.streams.delete(stream);
      throw error;
    }
    return unsubscribe;
  }

  tapDeliveries(tap: Listener): void {
    this.tap = tap;
  }

  onGap(listener: () => void): () => void {
    this.gapListeners.add(listener);
    return () => this.gapListeners.delete(listener);
  }

  isConnected(): boolean {
    return this.publisher.status === "ready" && this.subscriber.status === "ready";
  }

  async close(): Promise<void> {
    this.streams.clear();
    this.patterns.clear();
    this.gapListeners.clear();
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }

  /** The Redis subscription that carries `stream` to this node, made now or already made. */
  private hear(stream: string): Promise<unknown> {
    const family = this.familyOf(stream);
    if (family === undefined) return this.subscriber.subscribe(this.channelPrefix + stream);
    let ready = this.patterns.get(family);
    if (ready === undefined) {
      const made = this.subscriber.psubscribe(this.patternOf(family));
      this.patterns.set(family, made);
      made.catch(() => {
        if (this.patterns.get(family) === made) this.patterns.delete(family);
      });
      ready = made;
    }
    return ready;
  }

  private familyOf(stream: string): string | undefined {
    for (const family of this.patternFamilies) if (stream.startsWith(family)) return family;
    return undefined;
  }

  /** The glob of a family's channels; the prefix's own glob characters match only themselves. */
  private patternOf(family: string): string {
    return `${(this.channelPrefix + family).replace(/[*?[\]\\]/g, "\\$&")}*`;
  }

  /** Subscribes every channel and pattern again, then tells subscribers to catch up from the store. */
  private async recover(): Promise<void> {
    try {
      const channels = [...this.streams.keys()]
        .filter((stream) => this.familyOf(stream) === undefined)
        .map((stream) => this.channelPrefix + stream);
      const patterns = [...this.patterns.keys()].map((family) => this.patternOf(family));
      await Promise.all([
        channels.length > 0 ? this.subscriber.subscribe(...channels) : undefined,
        patterns.length > 0 ? this.subscriber.psubscribe(...patterns) : undefined,
      ]);
      this.lostConnection = false;
      this.logger.warn(
        { streams: this.streams.size, channels: channels.length, patterns: patterns.length },
        "broker: Redis is back, catching subscribers up",
      );
    } catch (error) {
      this.logger.error({ err: error }, "broker: resubscribing after a Redis outage failed");
      return;
    }
    for (const listener of this.gapListeners) {
      try {
        listener();
      } catch (error) {
        this.logger.error({ err: error }, "broker: gap listener failed");
      }
    }
  }

  /**
   * Hands a publication to the stream's listeners here. A stream nobody here listens to (another
   * node's visitor, heard through a pattern) is dropped before its JSON is parsed.
   */
  private deliver(stream: string, text: string): void {
    const listeners = this.streams.get(stream)?.listeners;
    if (listeners === undefined || listeners.size === 0) return;
    let shared: Publication;
    try {
      shared = { event: JSON.parse(text) as BrokerEvent, json: text };
    } catch (error) {
      this.logger.error({ err: error, stream }, "broker: undecodable publication");
      return;
    }
    this.tap?.(shared);
    listeners.forEach((listener) => {
      try {
        listener(shared);
      } catch (error) {
        this.logger.error({ err: error, stream }, "broker: listener failed");
      }
    });
  }
}
