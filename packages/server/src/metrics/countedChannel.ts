/** A Channel whose open subscriptions are counted in the metrics, by the channel's name. */
import type { Channel } from "../cable/channel.js";
import type { Metrics } from "./registry.js";

export function countedChannel<Identity>(
  name: string,
  inner: Channel<Identity>,
  metrics: Metrics,
): Channel<Identity> {
  const gauge = metrics.subscriptions.labels({ channel: name });
  gauge.set(0);
  return {
    async subscribe(context) {
      const subscription = await inner.subscribe(context);
      if (subscription === null) return null;
      gauge.inc();
      let open = true;
      return {
        perform: (data) => subscription.perform(data),
        unsubscribed: () => {
          if (open) gauge.dec();
          open = false;
          subscription.unsubscribed();
        },
      };
    },
  };
}
