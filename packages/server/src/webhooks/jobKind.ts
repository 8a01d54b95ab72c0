/**
 * The webhook delivery job: one per webhook. A run sends the webhook's deliveries in batches,
 * each conversation's one at a time and in order (claimWebhookDeliveries), several
 * conversations' side by side.
 */
import type { JobQueue } from "../jobs/queue.js";
import type { DedupedJob } from "../store/store.js";

export const DELIVER_WEBHOOK = "webhook.deliver";

export interface DeliverWebhookPayload {
  webhookId: number;
}

/**
 * A job's payload. Jobs stored before the job was one per webhook also name a conversation
 * (`conversationId`); such a job runs as its webhook's, which sends that conversation's events too.
 */
export function isDeliverWebhookPayload(value: unknown): value is DeliverWebhookPayload {
  if (typeof value !== "object" || value === null) return false;
  return Number.isSafeInteger((value as Record<string, unknown>).webhookId);
}

/** Wakes the webhook's job: at most one pending wake per webhook. */
export function enqueueDelivery(queue: JobQueue, webhookId: number): Promise<boolean> {
  return queue.enqueue(DELIVER_WEBHOOK, { webhookId }, { dedupeKey: wakeKey(webhookId) });
}

/**
 * Wakes the webhook's job when its earliest retry is due. Keyed by that time, not the webhook's
 * wake key: a wake waiting hours for a retry would hold back every new event, since an enqueue
 * with a pending job's key adds nothing.
 */
export function enqueueRetryWake(queue: JobQueue, webhookId: number, at: Date): Promise<boolean> {
  return queue.enqueue(
    DELIVER_WEBHOOK,
    { webhookId },
    { runAt: at, dedupeKey: `${wakeKey(webhookId)}:retry:${at.toISOString()}` },
  );
}

/** enqueueDelivery's job, for a store method that enqueues it with the delivery (the producer's batch). */
export function deliveryWake(webhookId: number, at: string): DedupedJob {
  return {
    kind: DELIVER_WEBHOOK,
    payload: JSON.stringify({ webhookId } satisfies DeliverWebhookPayload),
    runAt: at,
    dedupeKey: wakeKey(webhookId),
    at,
  };
}

function wakeKey(webhookId: number): string {
  return `${DELIVER_WEBHOOK}:${webhookId}`;
}
