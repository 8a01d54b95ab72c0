/**
 * Sends a webhook's pending deliveries: a few at a time, each the oldest pending one of its
 * conversation, so a conversation's events arrive in order (a later one waits until the earlier
 * is delivered or given up) while different conversations' go side by side. A failure is retried
 * on the schedule (WEBHOOK_RETRY_SCHEDULE: 10 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h by
 * default), its conversation waiting until then and the others going on; a run that leaves
 * retries waiting wakes the webhook's job when the first is due. After the last retry the
 * delivery is failed and the conversation's next one goes.
 *
 * Every attempt of one event carries the same event id and body, so a receiver that saw it
 * de-duplicates. An endpoint that has failed without a success for WEBHOOK_DISABLE_AFTER (24 h)
 * is disabled: its pending deliveries are failed and the owners are told (ownerAlert.ts).
 *
 * One job per webhook, not one per (webhook, conversation): most conversations have an event
 * or two at a time, so a job per pair cost an enqueue, a claim, a read of the webhook and a
 * completion for about two requests, and each request a read and a claim of its own. Here one
 * statement reads and claims a batch (claimWebhookDeliveries), and each request then costs the
 * recording of its attempt.
 *
 * A batch is claimed (locked_until) for the length of one request, so two runs never send one
 * delivery at once, nor two of one conversation; a claim left by a dead process lapses before
 * that job's own lease, so the job, run again, claims the batch anew. A delivery stored while a
 * run goes on wakes a job of its own (the wake collapses only with a pending job, never with a
 * running one), so none is left behind.
 */
import type { Logger } from "pino";
import type { JobHandler, JobOutcome } from "../jobs/job.js";
import type { JobQueue } from "../jobs/queue.js";
import type { ClaimedJob, Store } from "../store/store.js";
import type { StoredWebhook, StoredWebhookDelivery } from "../store/webhookStore.js";
import { enqueueDelivery, enqueueRetryWake, isDeliverWebhookPayload } from "./jobKind.js";
import type { WebhookSender } from "./sender.js";

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
    | "recordWebhookDeliveryAttempt"
    | "failPendingWebhookDeliveries"
  >;
  queue: JobQueue;
  sender: WebhookSender;
  rules: DeliveryRules;
  logger: Logger;
  now: () => Date;
  /** Told once when an endpoint is disabled for failing too long. */
  disabled: (webhook: StoredWebhook) => Promise<void>;
}

/** Beyond the request's timeout, the time a claim allows for the store's writes around it. */
const CLAIM_MARGIN_MS = 15_000;
/**
 * Requests one webhook has in flight at once (of as many conversations). Enough to keep a
 * receiver across the world busy; a receiver's own limit is usually higher.
 */
export const REQUESTS_AT_ONCE = 8;
/**
 * Deliveries one run sends before it hands the webhook to a new job, so a webhook with a long
 * backlog does not hold a worker's slot from the other jobs for long.
 */
const DELIVERIES_PER_RUN = 200;

/** What one request came to, for the endpoint's health. */
interface Sent {
  ok: boolean;
  at: Date;
  error: string | null;
}

export function deliverWebhookHandler(deps: DeliverWebhookDeps): JobHandler {
  const { store, rules } = deps;

  /** Sends one claimed delivery and records the attempt (which releases the claim). */
  const send = async (webhook: StoredWebhook, delivery: StoredWebhookDelivery): Promise<Sent> => {
    // Made when something is logged: a pino child per delivery cost more than its statements.
    const log = () =>
      deps.logger.child({ webhook: webhook.id, delivery: delivery.id, event: delivery.eventType });
    const result = await deps.sender.send({
      url: webhook.url,
      format: webhook.format,
      secret: webhook.secret,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      body: delivery.payload,
    });
    const at = deps.now();
    if (result.ok) {
      await store.recordWebhookDeliveryAttempt(delivery.id, {
        status: "delivered",
        nextAttemptAt: null,
        responseStatus: result.status,
        error: null,
        durationMs: result.durationMs,
        at: at.toISOString(),
      });
      if (deps.logger.isLevelEnabled("debug")) log().debug({ status: result.status }, "webhooks: delivered");
      return { ok: true, at, error: null };
    }
    const attempts = delivery.attempts + 1;
    const wait = rules.retryScheduleMs[attempts - 1];
    const nextAttemptAt = wait === undefined ? null : new Date(at.getTime() + wait);
    await store.recordWebhookDeliveryAttempt(delivery.id, {
      status: nextAttemptAt === null ? "failed" : "pending",
      nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
      responseStatus: result.status,
      error: result.error,
      durationMs: result.durationMs,
      at: at.toISOString(),
    });
    log().info({ status: result.status, error: result.error, attempts }, "webhooks: delivery failed");
    if (nextAttemptAt === null) log().warn({ attempts }, "webhooks: delivery given up after its last retry");
    return { ok: false, at, error: result.error };
  };

  /**
   * The endpoint's health after a batch: any success means it works; a batch that all failed
   * starts (or continues) its failing time, and disables it once that is too long. Undefined when
   * it was disabled.
   */
  const afterBatch = async (webhook: StoredWebhook, sent: Sent[]): Promise<StoredWebhook | undefined> => {
    const last = sent.reduce((a, b) => (b.at > a.at ? b : a));
    const at = last.at.toISOString();
    if (sent.some((each) => each.ok)) {
      if (webhook.failingSince !== null) await store.updateWebhook(webhook.id, { failingSince: null, at });
      return { ...webhook, failingSince: null };
    }
    const failingSince = webhook.failingSince ?? at;
    if (last.at.getTime() - Date.parse(failingSince) >= rules.disableAfterMs) {
      const reason = `failing since ${failingSince}; last error: ${last.error}`;
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
      for (let sent = 0; webhook !== undefined;) {
        const now = deps.now();
        if (!webhook.enabled) {
          await store.failPendingWebhookDeliveries(webhook.id, "webhook disabled", now.toISOString());
          break;
        }
        const batch = await store.claimWebhookDeliveries(webhook.id, {
          now: now.toISOString(),
          until: new Date(now.getTime() + rules.timeoutMs + CLAIM_MARGIN_MS).toISOString(),
          limit: REQUESTS_AT_ONCE,
        });
        if (batch.length === 0) {
          // Nothing to send now. Deliveries another run has claimed are that run's to finish; a
          // retry waiting for its time gets a wake then.
          const retryAt = await store.nextWebhookRetryAt(webhook.id, now.toISOString());
          if (retryAt !== undefined) await enqueueRetryWake(deps.queue, webhook.id, new Date(retryAt));
          break;
        }
        const current: StoredWebhook = webhook;
        webhook = await afterBatch(
          current,
          await Promise.all(batch.map((delivery) => send(current, delivery))),
        );
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
      return { kind: "done" };
    },
  };
}
