/**
 * The cluster broker: Redis pub/sub between Parley nodes. A node subscribes only to the streams
 * its own connections listen to, so traffic does not grow with nodes × streams.
 *
 * Redis pub/sub forgets what it could not deliver. When the subscriber connection drops and comes
 * back, every stream is subscribed again and `onGap` listeners run, so subscriptions re-read what
 * they missed from the store. Publishes made while Redis is away wait in the client's queue and
 * go out on reconnect.
 */
import type { Redis } from "ioredis";
import { loadRedis } from "../cluster/loadRedis.js";
import type { Logger } from "pino";
import type { Broker, BrokerEvent, Listener, Publication } from "./broker.js";

const CONNECT_TIMEOUT_MS = 5000;

export interface RedisBrokerOptions {
  /** Before every channel and client name; tests give each run its own (pub/sub spans databases). */
  prefix?: string;
}

export class RedisBroker implements Broker {
  private readonly streams = new Map<string, Set<Listener>>();
  private readonly gapListeners = new Set<() => void>();
  private lostConnection = false;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly logger: Logger,
    /** Redis channel = this + stream name. */
    private readonly channelPrefix: string,
  ) {
    subscriber.on("message", (channel: string, text: string) => this.deliver(channel, text));
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
    { prefix = "parley:" }: RedisBrokerOptions = {},
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
    return new RedisBroker(publisher, subscriber, logger, `${prefix}stream:`);
  }

  async publish(stream: string, event: BrokerEvent): Promise<void> {
    await this.publisher.publish(this.channelPrefix + stream, JSON.stringify(event));
  }

  async subscribe(stream: string, listener: Listener): Promise<() => void> {
    let listeners = this.streams.get(stream);
    if (listeners === undefined) this.streams.set(stream, (listeners = new Set()));
    const entry: Listener = (p) => listener(p);
    listeners.add(entry);
    // Redis answers commands in order: once this SUBSCRIBE is confirmed the channel is live,
    // whichever listener's SUBSCRIBE came first. A repeated SUBSCRIBE changes nothing.
    await this.subscriber.subscribe(this.channelPrefix + stream);
    return () => {
      const current = this.streams.get(stream);
      current?.delete(entry);
      if (current?.size === 0) {
        this.streams.delete(stream);
        this.subscriber.unsubscribe(this.channelPrefix + stream).catch((error: unknown) => {
          this.logger.debug({ err: error, stream }, "broker: unsubscribe failed");
        });
      }
    };
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
    this.gapListeners.clear();
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }

  /** Subscribes every stream again, then tells subscribers to catch up from the store. */
  private async recover(): Promise<void> {
    try {
      const channels = [...this.streams.keys()].map((stream) => this.channelPrefix + stream);
      if (channels.length > 0) await this.subscriber.subscribe(...channels);
      this.lostConnection = false;
      this.logger.warn({ streams: channels.length }, "broker: Redis is back, catching subscribers up");
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

  private deliver(channel: string, text: string): void {
    const listeners = this.streams.get(channel.slice(this.channelPrefix.length));
    if (listeners === undefined) return;
    let shared: Publication;
    try {
      shared = { event: JSON.parse(text) as BrokerEvent, json: text };
    } catch (error) {
      this.logger.error({ err: error, channel }, "broker: undecodable publication");
      return;
    }
    for (const listener of listeners) {
      try {
        listener(shared);
      } catch (error) {
        this.logger.error({ err: error, channel }, "broker: listener failed");
      }
    }
  }
}
