/** The single-node broker: fan-out inside this process, synchronously, in publish order. */
import type { Logger } from "pino";
import { publication, type Broker, type BrokerEvent, type Listener, type Publication } from "./broker.js";
import { StreamListeners, type ListenerEntry } from "./streamListeners.js";

export class MemoryBroker implements Broker {
  private readonly streams = new Map<string, StreamListeners>();
  /**
   * Publications not yet delivered. A listener may publish while it hears an event; delivering
   * that at once would reach the listeners after it before the event that caused it. Queued,
   * every listener hears a stream's events in publish order, as Redis delivers them.
   */
  private readonly queue: { stream: string; shared: Publication }[] = [];
  private delivering = false;
  private tap: Listener | undefined;

  constructor(private readonly logger: Logger) {}

  async publish(stream: string, event: BrokerEvent): Promise<void> {
    if (!this.streams.has(stream)) return;
    this.queue.push({ stream, shared: publication(event) });
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift())
        this.deliver(next.stream, next.shared);
    } finally {
      this.delivering = false;
    }
  }

  async subscribe(stream: string, listener: Listener): Promise<() => void> {
    let listeners = this.streams.get(stream);
    if (listeners === undefined) this.streams.set(stream, (listeners = new StreamListeners()));
    const subscription = new MemorySubscription(this.streams, stream, listener);
    listeners.add(subscription);
    // Bound, not a closure: no scope kept per subscription (two per connected visitor).
    return subscription.cancel.bind(subscription);
  }

  tapDeliveries(tap: Listener): void {
    this.tap = tap;
  }

  /** In one process nothing is ever dropped (one shared no-op: every subscription asks). */
  onGap(): () => void {
    return noop;
  }

  isConnected(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.streams.clear();
    this.queue.length = 0;
  }

  private deliver(stream: string, shared: Publication): void {
    const listeners = this.streams.get(stream);
    if (listeners === undefined || listeners.size === 0) return;
    this.tap?.(shared);
    listeners.forEach((listener) => {
      try {
        listener(shared);
      } catch (error) {
        this.logger.error({ err: error, stream }, "broker listener failed");
      }
    });
  }
}

function noop(): void {}

class MemorySubscription implements ListenerEntry {
  constructor(
    private readonly streams: Map<string, StreamListeners>,
    private readonly stream: string,
    readonly listener: Listener,
  ) {}

  cancel(): void {
    const current = this.streams.get(this.stream);
    current?.delete(this);
    if (current?.size === 0) this.streams.delete(this.stream);
  }
}
