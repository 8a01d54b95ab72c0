/**
 * A Broker that reports to the metrics: what this node publishes, how long each message took
 * from its creation to its arrival on this node (once per stream: the visitor's and the agents'),
 * and the broker's gaps. It wraps whichever broker
 * server.ts chose, so the brokers themselves stay free of metrics.
 */
import type { Broker, BrokerEvent, Listener } from "../broker/broker.js";
import type { Metrics } from "./registry.js";

export function measuredBroker(inner: Broker, metrics: Metrics, now: () => number = Date.now): Broker {
  inner.onGap(() => metrics.brokerGaps.inc());
  // A publication reaches every listener of its stream on this node as one object: timed once,
  // as it arrives, however many sockets and internal listeners hear it.
  let nextTap: Listener | undefined;
  inner.tapDeliveries((publication) => {
    nextTap?.(publication);
    const event = publication.event.type === "for_site" ? publication.event.event : publication.event;
    if (event.type !== "message" && event.type !== "new_message") return;
    const createdMs = Date.parse(event.message.created_at);
    const channel = event.type === "message" ? "visitor" : "admin";
    if (!Number.isNaN(createdMs)) {
      metrics.deliverySeconds.observe({ channel }, Math.max(now() - createdMs, 0) / 1000);
    }
  });
  return {
    async publish(stream: string, event: BrokerEvent): Promise<void> {
      metrics.brokerPublishes.inc();
      // Every message crosses the agents' stream exactly once, as `new_message` in its site's envelope.
      const carried = event.type === "for_site" ? event.event : event;
      if (carried.type === "new_message") metrics.messages.inc({ sender: carried.message.sender });
      await inner.publish(stream, event);
    },
    subscribe: (stream, listener) => inner.subscribe(stream, listener),
    onGap: (listener) => inner.onGap(listener),
    // A tap of this broker's user sees what the metrics see, after them.
    tapDeliveries: (tap) => {
      nextTap = tap;
    },
    isConnected: () => inner.isConnected(),
    close: () => inner.close(),
  };
}
