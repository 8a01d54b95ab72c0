/**
 * One notification to one browser subscription, as its own job so each is retried on its own:
 * 429, 5xx and network errors back off and retry; 404/410 delete the subscription (the browser
 * dropped it); any other 4xx is logged and dropped, since sending it again cannot help.
 */
import type { Logger } from "pino";
import type { JobHandler, JobOutcome } from "../jobs/job.js";
import type { ClaimedJob, Store } from "../store/store.js";
import type { PushEndpointPolicy } from "./endpoints.js";
import { isDeliverPushPayload } from "./jobKinds.js";
import type { PushSender } from "./sender.js";

/** A push about a chat is stale after an hour; the push service drops it then too. */
export const PUSH_TTL_SECONDS = 60 * 60;

export interface DeliverPushDeps {
  store: Pick<Store, "getPushSubscription" | "deletePushSubscriptionById">;
  sender: PushSender;
  endpoints: PushEndpointPolicy;
  logger: Logger;
}

export function deliverPushHandler(deps: DeliverPushDeps): JobHandler {
  return {
    // With the default backoff (1 s doubling, capped at 5 min) about 20 minutes of tries, well
    // within the push's TTL.
    maxAttempts: 12,
    async run(job: ClaimedJob): Promise<JobOutcome> {
      const payload: unknown = JSON.parse(job.payload);
      if (!isDeliverPushPayload(payload)) {
        deps.logger.error({ job: job.id }, "push: malformed delivery job dropped");
        return { kind: "done" };
      }
      const subscription = await deps.store.getPushSubscription(payload.subscriptionId);
      if (subscription === undefined) return { kind: "done" };
      const log = deps.logger.child({ subscription: subscription.id, agent: subscription.agentId });
      // PUSH_ENDPOINT_ORIGINS may have shrunk since the subscription was saved.
      if (!deps.endpoints.allows(subscription.endpoint)) {
        log.warn("push: endpoint no longer allowed; not sent");
        return { kind: "done" };
      }
      const result = await deps.sender.send(subscription, {
        payload: JSON.stringify(payload.notification),
        topic: payload.topic,
        ttlSeconds: PUSH_TTL_SECONDS,
      });
      switch (result.kind) {
        case "delivered":
          log.debug({ status: result.status }, "push: delivered");
          return { kind: "done" };
        case "gone":
          await deps.store.deletePushSubscriptionById(subscription.id);
          log.info({ status: result.status }, "push: subscription gone; removed");
          return { kind: "done" };
        case "rejected":
          log.warn(
            { status: result.status, reason: result.reason },
            "push: rejected (by the push service, or an endpoint the sender will not use); dropped",
          );
          return { kind: "done" };
        case "retry":
          return result.retryAfterMs === undefined
            ? { kind: "retry", error: result.reason }
            : { kind: "retry", error: result.reason, retryAfterMs: result.retryAfterMs };
      }
    },
  };
}
