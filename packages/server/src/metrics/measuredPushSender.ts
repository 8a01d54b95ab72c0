/** A PushSender whose results are counted in the metrics by outcome (delivered, gone, ...). */
import type { PushSender } from "../push/sender.js";
import type { Metrics } from "./registry.js";

export function measuredPushSender(inner: PushSender, metrics: Metrics): PushSender {
  return {
    async send(subscription, message) {
      const result = await inner.send(subscription, message);
      metrics.pushes.inc({ outcome: result.kind });
      return result;
    },
  };
}
