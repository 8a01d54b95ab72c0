/**
 * The broker carries committed events from the node that made them to every subscriber, on
 * this node (memory) or on all nodes (Redis, when REDIS_URL is set). Chosen once in server.ts.
 *
 * Contract: publish only after the event's data is committed; events published on one stream
 * reach each listener in publish order; a listener that throws does not stop the others.
 * Delivery is at most once: clients close gaps with `since`, never by trusting the broker.
 */
import type { AdminEvent, VisitorEvent } from "@parley/protocol";

export type BrokerEvent = VisitorEvent | AdminEvent;

/** An event with its JSON made once, so a fan-out to many sockets serialises it once. */
export interface Publication {
  readonly event: BrokerEvent;
  readonly json: string;
}

export type Listener = (publication: Publication) => void;

export interface Broker {
  publish(stream: string, event: BrokerEvent): Promise<void>;
  /** Returns the function that ends this listener's subscription. */
  subscribe(stream: string, listener: Listener): () => void;
  close(): Promise<void>;
}

/** A publication whose JSON is made on first use and then shared. */
export function publication(event: BrokerEvent): Publication {
  let json: string | undefined;
  return {
    event,
    get json() {
      return (json ??= JSON.stringify(event));
    },
  };
}
