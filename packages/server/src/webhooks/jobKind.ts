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
  /**
   * A retry's wake: the run ends by waking the webhook's next retry, as a run that had a failure
   * does (other runs need not ask the store for one).
   */
  retries?: true;
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
  const payload: DeliverWebhookPayload = { webhookId };
  return queue.enqueue(DELIVER_WEBHOOK, payload, { dedupeKey: wakeKey(webhookId) });
}

/**
 * Wakes the webhook's job when its earliest retry is due. Keyed by that time, not the webhook's
 * wake key: a wake waiting hours for a retry would hold back every new event, since an enqueue
 * with a pending job's key adds nothing.
 */
export function enqueueRetryWake(queue: JobQueue, webhookId: number, at: Date): Promise<boolean> {
  const payload: DeliverWebhookPayload = { webhookId, retries: true };
  return queue.enqueue(DELIVER_WEBHOOK, payload, {
    runAt: at,
    dedupeKey: `${wakeKey(webhookId)}:retry:${at.toISOString()}`,
  });
}

/**
 * How long the wake of new events waits before its run, so that the events of the next moments
 * collapse into it and go in the same run (a pending wake takes them; a running one does not).
 * Due at once, a wake at a few hundred messages a second started a run for every batch of
 * events: a claim of the job, a claim of a delivery or two, a record and a completion, a commit
 * each, for one or two requests (docs/benchmarks.md, eighteenth pass). A webhook hears of an
 * event at most this much later.
 */
export const WAKE_GATHER_MS = 50;

/**
 * enqueueDelivery's job, for a store method that enqueues it with the delivery (the producer's
 * batch): due WAKE_GATHER_MS after the events.
 */
export function deliveryWake(webhookId: number, at: string): DedupedJob {
  return {
    kind: DELIVER_WEBHOOK,
    payload: JSON.stringify({ webhookId } satisfies DeliverWebhookPayload),
    runAt: new Date(Date.parse(at) + WAKE_GATHER_MS).toISOString(),
    dedupeKey: wakeKey(webhookId),
    at,
  };
}

function wakeKey(webhookId: number): string {
  return `${DELIVER_WEBHOOK}:${webhookId}`;
}
