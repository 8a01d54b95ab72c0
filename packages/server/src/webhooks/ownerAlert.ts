/**
 * Tells the owners that Parley disabled a webhook: a web push to each owner's browsers (through
 * push's own delivery job, so it is retried like any push), which opens the inbox's settings.
 * The webhook itself says so too (`enabled: false`, `disabled_at`, `disabled_reason`), and the
 * log has a warning.
 */
import type { PushNotification } from "@parley/protocol";
import type { JobQueue } from "../jobs/queue.js";
import { DELIVER_PUSH, type DeliverPushPayload } from "../push/jobKinds.js";
import type { Store } from "../store/store.js";
import type { StoredWebhook } from "../store/webhookStore.js";

export function webhookDisabledNotification(webhook: StoredWebhook): PushNotification {
  const host = URL.canParse(webhook.url) ? new URL(webhook.url).host : "an endpoint";
  return {
    title: "A webhook was disabled",
    body: `Deliveries to ${host} failed for too long. Fix the receiver, then enable it again.`.slice(0, 100),
    url: "/admin/settings",
    tag: `parley-webhook-${webhook.id}`,
    // Not about a conversation: the service worker opens `url`.
    conversation_id: 0,
    count: 1,
  };
}

export async function alertOwners(
  deps: { store: Pick<Store, "listAgents" | "listPushSubscriptions">; queue: JobQueue },
  webhook: StoredWebhook,
): Promise<void> {
  const notification = webhookDisabledNotification(webhook);
  const owners = (await deps.store.listAgents()).filter((agent) => agent.role === "owner");
  for (const owner of owners) {
    for (const subscription of await deps.store.listPushSubscriptions(owner.id)) {
      const delivery: DeliverPushPayload = {
        subscriptionId: subscription.id,
        notification,
        topic: notification.tag,
      };
      await deps.queue.enqueue(DELIVER_PUSH, delivery);
    }
  }
}
