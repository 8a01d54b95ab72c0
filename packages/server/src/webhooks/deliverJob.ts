/**
 * Sends a webhook's pending deliveries: a few at a time, each the oldest pending one of its
 * conversation, so a conversation's events arrive in order (a later one waits until the earlier
 * is delivered or given up) while different conversations' go side by side. A failure is retried
 * on the schedule (WEBHOOK_RETRY_SCHEDULE: 10 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h by
 * default), its conversation waiting until then and the others going on; a run that had a
 * failure (or wakes a retry) wakes the webhook's job when the next retry is due. After the last
 * retry the delivery is failed and the conversation's next one goes.
 *
 * Every attempt of one event carries the same event id and body, so a receiver that saw it
 * de-duplicates. An endpoint that has failed without a success for WEBHOOK_DISABLE_AFTER (24 h)
 * is disabled: its pending deliveries are failed and the owners are told (ownerAlert.ts).
 *
 * One job per webhook, not one per (webhook, conversation): most conversations have an event
 * or two at a time, so a job per pair cost an enqueue, a claim, a read of the webhook and a
 * completion for about two requests, and each request a read and a claim of its own. Here one
 * step claims a batch (claimWebhookDeliveries) and one records its attempts. A batch holds up to
 * WAVES_PER_CLAIM times as many deliveries as go at once, sent REQUESTS_AT_ONCE at a time (the
 * next one as soon as one is answered): the claim and the record are a commit each, and for a
 * batch of eight they cost more than the requests' own work (docs/benchmarks.md, ninth pass).
 *
 * A batch is claimed (locked_until) for as long as its requests may take, each its timeout, so
 * two runs never send one delivery at once, nor two of one conversation; a claim left by a dead
 * process lapses before that job's own lease, so the job, run again, claims the batch anew. A
 * batch is as large as the lease left allows: one wave of requests at the least. A delivery
 * stored while a run goes on wakes a job of its own (the wake collapses only with a pending job,
 * never with a running one), so none is left behind.
 */
import type { Logger } from "pino";
import type { BackgroundPace } from "../jobs/backgroundPace.js";
import type { JobHandler, JobOutcome } from "../jobs/job.js";
import type { JobQueue } from "../jobs/queue.js";
import type { ClaimedJob, Store } from "../store/store.js";
import type { DeliveryAttempt, StoredWebhook, StoredWebhookDelivery } from "../store/webhookStore.js";
import { enqueueDelivery, enqueueRetryWake, isDeliverWebhookPayload } from "./jobKind.js";
import type { WebhookResult, WebhookSender } from "./sender.js";

export interface DeliveryRules {
  /** The waits before each retry; its length is how many retries there are. */
  retryScheduleMs: readonly number[];
  /** How long an endpoint may fail without a success before it is disabled. */
  disableAfterMs: number;
  /** The request's timeout: a claim lasts a little longer. */
  timeoutMs: number;
}

export interface DeliverWebhookDeps {
  store: Pick<
    Store,
    | "getWebhook"
    | "updateWebhook"
    | "claimWebhookDeliveries"
    | "nextWebhookRetryAt"
    | "recordWebhookDeliveryAttempts"
    | "failPendingWebhookDeliveries"
  >;
  queue: JobQueue;
  sender: WebhookSender;
  rules: DeliveryRules;
  logger: Logger;
  now: () => Date;
  /** Told once when an endpoint is disabled for failing too long. */
  disabled: (webhook: StoredWebhook) => Promise<void>;
  /** Asked before each batch and request: waits while chat keeps the server busy (backgroundPace.ts). */
  pace?: Pick<BackgroundPace, "room">;
}

/** Beyond the request's timeout, the time a claim allows for the store's writes around it. */
const CLAIM_MARGIN_MS = 15_000;
/**
 * Requests one webhook has in flight at once (of as many conversations). Enough to keep a
 * receiver across the world busy; a receiver's own limit is usually higher.
 */
export const REQUESTS_AT_ONCE = 8;
/** A claim takes up to this many times REQUESTS_AT_ONCE deliveries. */
export const WAVES_PER_CLAIM = 4;
/**
 * Deliveries one run sends before it hands the webhook to a new job, so a webhook with a long
 * backlog does not hold a worker's slot from the other jobs for long.
 */
const DELIVERIES_PER_RUN = 200;

/** What one request came to. */
interface Sent {
  delivery: StoredWebhookDelivery;
  result: WebhookResult;
  at: Date;
}

export function deliverWebhookHandler(deps: DeliverWebhookDeps): JobHandler {
  const { store, rules } = deps;

  const send = async (webhook: StoredWebhook, delivery: StoredWebhookDelivery): Promise<Sent> => {
    const result = await deps.sender.send({
      url: webhook.url,
      format: webhook.format,
      secret: webhook.secret,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      body: delivery.payload,
    });
    return { delivery, result, at: deps.now() };
  };

  /** Records a batch's attempts at once (which releases their claims), and logs the failures. */
  const record = async (webhook: StoredWebhook, batch: Sent[]): Promise<void> => {
    const attempts = batch.map(({ delivery, result, at }) => {
      if (result.ok) {
        if (deps.logger.isLevelEnabled("debug"))
          deps.logger.debug(
            { webhook: webhook.id, delivery: delivery.id, event: delivery.eventType, status: result.status },
            "webhooks: delivered",
          );
        const attempt: DeliveryAttempt = {
          status: "delivered",
          nextAttemptAt: null,
          responseStatus: result.status,
          error: null,
          durationMs: result.durationMs,
          at: at.toISOString(),
        };
        return { id: delivery.id, attempt };
      }
      const attempts = delivery.attempts + 1;
      const wait = rules.retryScheduleMs[attempts - 1];
      const nextAttemptAt = wait === undefined ? null : new Date(at.getTime() + wait);
      const log = deps.logger.child({
        webhook: webhook.id,
        delivery: delivery.id,
        event: delivery.eventType,
      });
      log.info({ status: result.status, error: result.error, attempts }, "webhooks: delivery failed");
      if (nextAttemptAt === null) log.warn({ attempts }, "webhooks: delivery given up after its last retry");
      const attempt: DeliveryAttempt = {
        status: nextAttemptAt === null ? "failed" : "pending",
        nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
        responseStatus: result.status,
        error: result.error,
        durationMs: result.durationMs,
        at: at.toISOString(),
      };
      return { id: delivery.id, attempt };
    });
    await store.recordWebhookDeliveryAttempts(attempts);
  };

  /**
   * The endpoint's health after a batch: any success means it works; a batch that all failed
   * starts (or continues) its failing time, and disables it once that is too long. Undefined when
   * it was disabled.
   */
  const afterBatch = async (webhook: StoredWebhook, batch: Sent[]): Promise<StoredWebhook | undefined> => {
    const last = batch.reduce((a, b) => (b.at > a.at ? b : a));
    const at = last.at.toISOString();
    if (batch.some((each) => each.result.ok)) {
      if (webhook.failingSince !== null) await store.updateWebhook(webhook.id, { failingSince: null, at });
      return { ...webhook, failingSince: null };
    }
    const failingSince = webhook.failingSince ?? at;
    if (last.at.getTime() - Date.parse(failingSince) >= rules.disableAfterMs) {
      const error = last.result.ok ? null : last.result.error;
      const reason = `failing since ${failingSince}; last error: ${error}`;
      const disabled = await store.updateWebhook(webhook.id, {
        enabled: false,
        disabledAt: at,
        disabledReason: reason,
        at,
      });
      await store.failPendingWebhookDeliveries(webhook.id, "webhook disabled after failing too long", at);
      deps.logger.warn({ webhook: webhook.id, reason }, "webhooks: endpoint disabled after failing too long");
      if (disabled !== undefined) await deps.disabled(disabled);
      return undefined;
    }
    if (webhook.failingSince === null) await store.updateWebhook(webhook.id, { failingSince, at });
    return { ...webhook, failingSince };
  };

  /** Wakes the webhook's job when its earliest retry is due, if one waits. */
  const wakeForRetry = async (webhookId: number, now: Date): Promise<void> => {
    const retryAt = await store.nextWebhookRetryAt(webhookId, now.toISOString());
    if (retryAt !== undefined) await enqueueRetryWake(deps.queue, webhookId, new Date(retryAt));
  };

  return {
    // Failures of the request are the delivery's own attempts; a thrown error is the store's.
    maxAttempts: 20,
    async run(job: ClaimedJob): Promise<JobOutcome> {
      const payload: unknown = JSON.parse(job.payload);
      if (!isDeliverWebhookPayload(payload)) {
        deps.logger.error({ job: job.id }, "webhooks: malformed delivery job dropped");
        return { kind: "done" };
      }
      let webhook = await store.getWebhook(payload.webhookId);
      const leaseEndsAt = Date.parse(job.leaseUntil);
      // A run that had a failure, or wakes a retry, ends by waking the next retry.
      let retries = payload.retries === true;
      for (let sent = 0; webhook !== undefined;) {
        await deps.pace?.room();
        const now = deps.now();
        if (!webhook.enabled) {
          await store.failPendingWebhookDeliveries(webhook.id, "webhook disabled", now.toISOString());
          return { kind: "done" };
        }
        const waves = wavesWithin(leaseEndsAt - now.getTime(), rules.timeoutMs);
        const claimed = await store.claimWebhookDeliveries(webhook.id, {
          now: now.toISOString(),
          until: new Date(now.getTime() + waves * rules.timeoutMs + CLAIM_MARGIN_MS).toISOString(),
          limit: waves * REQUESTS_AT_ONCE,
        });
        // Nothing to send now: deliveries another run has claimed are that run's to finish.
        if (claimed.length === 0) break;
        const current: StoredWebhook = webhook;
        const batch = await atMostAtOnce(claimed, REQUESTS_AT_ONCE, async (delivery) => {
          // Each request asks too: a batch is several waves of them.
          await deps.pace?.room();
          return send(current, delivery);
        });
        await record(current, batch);
        if (batch.some((each) => !each.result.ok)) retries = true;
        webhook = await afterBatch(current, batch);
        sent += batch.length;
        // The next batch goes in this same run as long as the lease outlasts another claim; past
        // that, or the run's share, a new job goes on.
        const leaseLeftMs = leaseEndsAt - deps.now().getTime();
        if (
          webhook !== undefined &&
          (sent >= DELIVERIES_PER_RUN || leaseLeftMs <= rules.timeoutMs + CLAIM_MARGIN_MS)
        ) {
          await enqueueDelivery(deps.queue, webhook.id);
          break;
        }
      }
      if (webhook !== undefined && retries) await wakeForRetry(webhook.id, deps.now());
      return { kind: "done" };
    },
  };
}

/**
 * How many waves of requests a claim may take with `leaseLeftMs` of the job's lease left: each
 * wave may last a timeout, and the claim ends before the lease does. One at the least (the run
 * hands over before a batch when not even one fits).
 */
function wavesWithin(leaseLeftMs: number, timeoutMs: number): number {
  return Math.min(WAVES_PER_CLAIM, Math.max(1, Math.floor((leaseLeftMs - CLAIM_MARGIN_MS) / timeoutMs)));
}

/** `each` of every item, at most `limit` running at once; results in the items' order. */
async function atMostAtOnce<T, R>(items: T[], limit: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await each(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
