/**
 * The stock @rails/actioncable consumer, run in Node exactly as a browser app would use it:
 * `ws` plays the browser's WebSocket (with the cookie and Origin a browser would send), and
 * no-op window event listeners stand in for the page.
 */
import * as ActionCable from "@rails/actioncable";
import WebSocket from "ws";

const globals = globalThis as unknown as Record<string, unknown>;
globals.addEventListener ??= () => {};
globals.removeEventListener ??= () => {};

/** Headers for each consumer's URL (a browser sends its cookies and origin by itself). */
const headersByUrl = new Map<string, Record<string, string>>();
/** Every frame each consumer's sockets received, protocol frames included (see `cableFrames`). */
const framesByUrl = new Map<string, Record<string, unknown>[]>();
let consumerCount = 0;

class BrowserLikeWebSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, { headers: headersByUrl.get(url) ?? {} });
    const frames = framesByUrl.get(url);
    this.on("message", (data: Buffer) =>
      frames?.push(JSON.parse(data.toString("utf8")) as Record<string, unknown>),
    );
  }
}
ActionCable.adapters.WebSocket = BrowserLikeWebSocket as unknown as typeof globalThis.WebSocket;
ActionCable.adapters.logger = { ...console, log: () => {} };

export interface ConsumerOptions {
  cookie?: string;
  /** The seed's way: the visitor token on the URL. */
  token?: string;
  origin?: string;
  /** More headers of the upgrade request (User-Agent, Accept-Language). */
  headers?: Record<string, string>;
}

export function createConsumer(serverUrl: string, options: ConsumerOptions = {}): ActionCable.Consumer {
  const url = new URL("/cable", serverUrl.replace(/^http/, "ws"));
  if (options.token !== undefined) url.searchParams.set("token", options.token);
  // A unique marker per consumer so each finds its own headers; the server ignores it.
  url.searchParams.set("consumer", String(++consumerCount));
  const headers: Record<string, string> = { ...options.headers, origin: options.origin ?? serverUrl };
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  headersByUrl.set(url.toString(), headers);
  framesByUrl.set(url.toString(), []);
  return ActionCable.createConsumer(url.toString());
}

/**
 * The stock consumer on exactly `url`, as an app written for the seed's server builds it
 * (`createConsumer("ws://host/cable?token=…")`), with no marker added. Headers are found by URL,
 * so the newest consumer of a URL decides what every socket to that URL sends from then on.
 */
export function createConsumerAt(
  url: string,
  headers: { origin: string; cookie?: string },
): ActionCable.Consumer {
  headersByUrl.set(url, { ...headers });
  return ActionCable.createConsumer(url);
}

/**
 * What the consumer's sockets received, in order, with the frames the stock client keeps to
 * itself (welcome, ping, disconnect); the array grows as frames come.
 */
export function cableFrames(consumer: ActionCable.Consumer): readonly Record<string, unknown>[] {
  return framesByUrl.get(consumer.url) ?? [];
}

export type Received = Record<string, unknown> & { type: string };

/** A subscription that records what it receives and can wait for it. */
export class RecordingSubscription {
  readonly received: Received[] = [];
  confirmed = false;
  rejected = false;
  readonly subscription: ActionCable.Subscription;
  private waiters: (() => void)[] = [];

  constructor(consumer: ActionCable.Consumer, identifier: Record<string, unknown> & { channel: string }) {
    this.subscription = consumer.subscriptions.create(identifier, {
      connected: () => {
        this.confirmed = true;
        this.wake();
      },
      rejected: () => {
        this.rejected = true;
        this.wake();
      },
      received: (data: Received) => {
        this.received.push(data);
        this.wake();
      },
    });
  }

  perform(action: string, data: Record<string, unknown> = {}): void {
    this.subscription.perform(action, data);
  }

  ofType(type: string): Received[] {
    return this.received.filter((message) => message.type === type);
  }

  /** Resolves with the first received message matching `predicate` (past or future). */
  async next(predicate: (message: Received) => boolean, timeoutMs = 5000): Promise<Received> {
    const found = await this.until(() => this.received.find(predicate), timeoutMs);
    return found;
  }

  async until<T>(check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined && value !== false) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; received: ${JSON.stringify(this.received).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
