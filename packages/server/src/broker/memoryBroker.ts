/** The single-node broker: fan-out inside this process, synchronously, in publish order. */
import type { Logger } from "pino";
import { publication, type Broker, type BrokerEvent, type Listener } from "./broker.js";

export class MemoryBroker implements Broker {
  private readonly streams = new Map<string, Set<Listener>>();

  constructor(private readonly logger: Logger) {}

  async publish(stream: string, event: BrokerEvent): Promise<void> {
    const listeners = this.streams.get(stream);
    if (listeners === undefined) return;
    const shared = publication(event);
    for (const listener of listeners) {
      try {
        listener(shared);
      } catch (error) {
        this.logger.error({ err: error, stream }, "broker listener failed");
      }
    }
  }

  async subscribe(stream: string, listener: Listener): Promise<() => void> {
    let listeners = this.streams.get(stream);
    if (listeners === undefined) this.streams.set(stream, (listeners = new Set()));
    // A wrapper makes each subscription distinct even when one function subscribes twice.
    const entry: Listener = (p) => listener(p);
    listeners.add(entry);
    return () => {
      const current = this.streams.get(stream);
      current?.delete(entry);
      if (current?.size === 0) this.streams.delete(stream);
    };
  }

  /** In one process nothing is ever dropped. */
  onGap(): () => void {
    return () => {};
  }

  async close(): Promise<void> {
    this.streams.clear();
  }
}
