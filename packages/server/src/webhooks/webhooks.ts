/**
 * Webhooks assembled (protocol §13): the outbound guard, the sender, the producer that listens
 * to chat, the delivery job, and the owners' REST side. server.ts builds one from the config.
 */
import { readFileSync } from "node:fs";
import type { Logger } from "pino";
import type { WebhookConfig } from "../config.js";
import { BackgroundPace } from "../jobs/backgroundPace.js";
import type { JobHandler } from "../jobs/job.js";
import type { JobAnnouncer, JobQueue } from "../jobs/queue.js";
import type { Store } from "../store/store.js";
import { OutboundPolicy } from "./addressGuard.js";
import { deliverWebhookHandler } from "./deliverJob.js";
import { DELIVER_WEBHOOK, enqueueDelivery, enqueueRetryWake } from "./jobKind.js";
import { alertOwners } from "./ownerAlert.js";
import { WebhookProducer } from "./producer.js";
import { HttpWebhookSender, type WebhookSender } from "./sender.js";
import { WebhookAdmin } from "./webhookAdmin.js";

export interface WebhooksOptions {
  store: Store;
  queue: JobQueue & JobAnnouncer;
  logger: Logger;
  config: WebhookConfig;
  /** Which of these visitors are connected now. */
  onlineVisitors: (visitorTokens: string[]) => Promise<Set<string>>;
  /** Throws not_found for a site that does not exist. */
  requireSite: (siteId: number) => Promise<void>;
  sender?: WebhookSender;
  now?: () => Date;
}

export interface Webhooks {
  readonly producer: WebhookProducer;
  readonly admin: WebhookAdmin;
  readonly handlers: ReadonlyMap<string, JobHandler>;
  /**
   * Wakes the job of every webhook with a pending delivery, for one whose job was never stored
   * (the store failed between the delivery and its job), and the wake of its next retry.
   * Collapses with the jobs that exist.
   */
  wakePending(): Promise<void>;
  /** Closes the sender's kept connections (after the last delivery). */
  close(): void;
}

/**
 * Deliveries give way while the loop is busy more than 70 % of the time, checking every 10 ms,
 * for at most 500 ms per batch and per request: on a loop that stays busy, each webhook still
 * sends about 16 events a second (eight requests in flight). In the bench's chat (1,000
 * messages/s) giving way took the echo's median from 13–43 ms to 2.5–3.6 ms; the events wait for
 * the burst to end (docs/benchmarks.md). The wait was 100 ms until a batch's deliveries and its
 * attempts became one statement each on Postgres: then the deliveries, quicker, took so much of
 * a burst that chat on Postgres queued for seconds (eleventh pass).
 */
const DELIVERY_PACE = { busyAbove: 0.7, stepMs: 10, maxWaitMs: 500 };

export function createWebhooks(options: WebhooksOptions): Webhooks {
  const { config, store, queue, logger } = options;
  const now = options.now ?? (() => new Date());
  const policy = new OutboundPolicy({ allowPrivate: config.allowPrivate, allowedHosts: config.allowedHosts });
  const ownSender =
    options.sender === undefined
      ? new HttpWebhookSender({
          policy,
          timeoutMs: config.timeoutMs,
          ...(config.caFile === undefined ? {} : { extraCa: readFileSync(config.caFile, "utf8") }),
          now,
        })
      : undefined;
  const sender = options.sender ?? ownSender!;
  const producer = new WebhookProducer({
    store,
    queue,
    logger,
    onlineVisitors: options.onlineVisitors,
    now,
  });
  const handler = deliverWebhookHandler({
    store,
    queue,
    sender,
    pace: new BackgroundPace(DELIVERY_PACE),
    logger,
    now,
    rules: {
      retryScheduleMs: config.retryScheduleMs,
      disableAfterMs: config.disableAfterMs,
      timeoutMs: config.timeoutMs,
    },
    disabled: (webhook) => {
      producer.forget(webhook.siteId);
      return alertOwners({ store, queue }, webhook);
    },
  });
  return {
    producer,
    admin: new WebhookAdmin({
      store,
      queue,
      policy,
      requireSite: options.requireSite,
      changed: (siteId) => producer.forget(siteId),
      now,
    }),
    handlers: new Map([[DELIVER_WEBHOOK, handler]]),
    async wakePending() {
      for (const webhookId of await store.listWebhooksWithPending()) {
        await enqueueDelivery(queue, webhookId);
        // A retry whose wake was lost with its process (it dies between recording the failure
        // and the wake) would wait for the next failure's.
        const retryAt = await store.nextWebhookRetryAt(webhookId, now().toISOString());
        if (retryAt !== undefined) await enqueueRetryWake(queue, webhookId, new Date(retryAt));
      }
    },
    close: () => ownSender?.close(),
  };
}
