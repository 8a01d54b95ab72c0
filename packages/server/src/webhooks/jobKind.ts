/** The webhook delivery job: one per (webhook, conversation), so one conversation's events go in order. */
import type { JobQueue } from "../jobs/queue.js";
import type { DedupedJob } from "../store/store.js";

export const DELIVER_WEBHOOK = "webhook.deliver";

export interface DeliverWebhookPayload {
  webhookId: number;
  /** null: events about no conversation (contact.identified). */
  conversationId: number | null;
}

export function isDeliverWebhookPayload(value: unknown): value is DeliverWebhookPayload {
  if (typeof value !== "object" || value === null) return false;
  const { webhookId, conversationId } = value as Record<string, unknown>;
  return Number.isSafeInteger(webhookId) && (conversationId === null || Number.isSafeInteger(conversationId));
}

/**
 * Wakes the (webhook, conversation) chain: at most one pending job per pair, and the job sends
 * the pair's oldest pending delivery, so a later event never overtakes an earlier one.
 */
export function enqueueDelivery(
  queue: JobQueue,
  payload: DeliverWebhookPayload,
  runAt?: Date,
): Promise<boolean> {
  return queue.enqueue(DELIVER_WEBHOOK, payload, {
    dedupeKey: pairKey(payload),
    ...(runAt === undefined ? {} : { runAt }),
  });
}

/** enqueueDelivery's job, for a store method that enqueues it with the delivery (the producer's batch). */
export function deliveryWake(payload: DeliverWebhookPayload, at: string): DedupedJob {
  return {
    kind: DELIVER_WEBHOOK,
    payload: JSON.stringify(payload),
    runAt: at,
    dedupeKey: pairKey(payload),
    at,
  };
}

function pairKey(payload: DeliverWebhookPayload): string {
  return `${DELIVER_WEBHOOK}:${payload.webhookId}:${payload.conversationId ?? "none"}`;
}
