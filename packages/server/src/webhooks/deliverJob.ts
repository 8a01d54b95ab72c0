/**
 * Sends a (webhook, conversation)'s oldest pending delivery, so a conversation's events arrive
 * in order: a later one waits until the earlier is delivered or given up. A failure is retried
 * on the schedule (WEBHOOK_RETRY_SCHEDULE: 10 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h by
 * default), the job postponing itself until then (the worker's own backoff is capped at
 * minutes); after the last retry the delivery is failed and the next one goes.
 *
 * Every attempt of one event carries the same event id and body, so a receiver that saw it
 * de-duplicates. An endpoint that has failed without a success for WEBHOOK_DISABLE_AFTER (24 h)
 * is disabled: its pending deliveries are failed and the owners are told (ownerAlert.ts).
 *
 * The delivery is claimed (locked_until) for the length of one request, so two jobs for one
 * pair never send at once; a claim left by a dead process lapses before that job's own lease,
 * so the job, run again, claims it anew. A job goes on to the pair's next delivery itself while
 * its lease has room; a delivery stored while it runs wakes a job of its own (the wake collapses
 * only with a pending job, never with a running one), so none is left behind.
 */
import type { Logger } from "pino";
import type { JobHandler, JobOutcome } from "../jobs/job.js";
import type { JobQueue } from "../jobs/queue.js";
import type { ClaimedJob, Store } from "../store/store.js";
import type { StoredWebhook } from "../store/webhookStore.js";
import { enqueueDelivery, isDeliverWebhookPayload, type DeliverWebhookPayload } from "./jobKind.js";
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
    | "nextPendingWebhookDelivery"
    | "claimWebhookDelivery"
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
 * Deliveries one job sends in a row before it hands the pair to a new job, so a pair with a long
 * backlog does not hold a worker's slot from the others for long.
 */
const DELIVERIES_PER_RUN = 20;

/** What sending a pair's oldest pending delivery came to: the job's outcome, or go on to the next. */
type Step = JobOutcome | { kind: "next"; webhook: StoredWebhook };

export function deliverWebhookHandler(deps: DeliverWebhookDeps): JobHandler {
  const { store, rules } = deps;

  const sendOldest = async (webhook: StoredWebhook, payload: DeliverWebhookPayload): Promise<Step> => {
    const delivery = await store.nextPendingWebhookDelivery(webhook.id, payload.conversationId);
    if (delivery === undefined) return { kind: "done" };
    const now = deps.now();
    if (!webhook.enabled) {
      await store.failPendingWebhookDeliveries(webhook.id, "webhook disabled", now.toISOString());
      return { kind: "done" };
    }
    if (delivery.nextAttemptAt !== null && Date.parse(delivery.nextAttemptAt) > now.getTime()) {
      return { kind: "postpone", until: new Date(delivery.nextAttemptAt) };
    }
    const claimUntil = new Date(now.getTime() + rules.timeoutMs + CLAIM_MARGIN_MS);
    if (!(await store.claimWebhookDelivery(delivery.id, now.toISOString(), claimUntil.toISOString()))) {
      // Another job sends it now, and goes on with the pair when it is done (or wakes it); if its
      // process dies, that job runs again once its lease lapses (after this claim has).
      return { kind: "done" };
    }

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
      if (webhook.failingSince !== null) {
        await store.updateWebhook(webhook.id, { failingSince: null, at: at.toISOString() });
      }
      if (deps.logger.isLevelEnabled("debug")) log().debug({ status: result.status }, "webhooks: delivered");
      return { kind: "next", webhook: { ...webhook, failingSince: null } };
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

    const failingSince = webhook.failingSince ?? at.toISOString();
    if (at.getTime() - Date.parse(failingSince) >= rules.disableAfterMs) {
      const reason = `failing since ${failingSince}; last error: ${result.error}`;
      const disabled = await store.updateWebhook(webhook.id, {
        enabled: false,
        disabledAt: at.toISOString(),
        disabledReason: reason,
        at: at.toISOString(),
      });
      await store.failPendingWebhookDeliveries(
        webhook.id,
        "webhook disabled after failing too long",
        at.toISOString(),
      );
      log().warn({ reason }, "webhooks: endpoint disabled after failing too long");
      if (disabled !== undefined) await deps.disabled(disabled);
      return { kind: "done" };
    }
    if (webhook.failingSince === null) {
      await store.updateWebhook(webhook.id, { failingSince, at: at.toISOString() });
    }
    if (nextAttemptAt === null) {
      log().warn({ attempts }, "webhooks: delivery given up after its last retry");
      return { kind: "next", webhook: { ...webhook, failingSince } };
    }
    return { kind: "postpone", until: nextAttemptAt };
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
      if (webhook === undefined) return { kind: "done" };
      const leaseEndsAt = Date.parse(job.leaseUntil);
      for (let sent = 1; ; sent++) {
        const step = await sendOldest(webhook, payload);
        if (step.kind !== "next") return step;
        webhook = step.webhook;
        // The pair's next delivery goes in this same run, sparing a job's wake, claim and
        // completion per event (and the run that would find nothing left), as long as the lease
        // outlasts another delivery's claim; past that, or the run's share, a new job goes on.
        const leaseLeftMs = leaseEndsAt - deps.now().getTime();
        if (sent >= DELIVERIES_PER_RUN || leaseLeftMs <= rules.timeoutMs + CLAIM_MARGIN_MS) {
          await enqueueDelivery(deps.queue, payload);
          return { kind: "done" };
        }
      }
    },
  };
}
