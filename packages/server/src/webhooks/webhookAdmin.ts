/**
 * What owners do with webhooks over REST (protocol §13): create (the secret is shown then, and
 * on request to owners), list, change, delete, read the delivery log, resend a delivery. Every
 * call names the site, and a webhook of another site is not found. A URL is checked against the
 * outbound guard when it is saved (and again by the sender on every request).
 */
import { randomUUID } from "node:crypto";
import {
  MAX_WEBHOOKS_PER_SITE,
  type CreateWebhookRequest,
  type UpdateWebhookRequest,
  type Webhook,
  type WebhookDelivery,
  type WebhookEventType,
  type WebhookFormat,
} from "@parley/protocol";
import { ChatError, invalid, notFound } from "../chat/errors.js";
import type { JobQueue } from "../jobs/queue.js";
import type { Store } from "../store/store.js";
import type { StoredWebhook, StoredWebhookDelivery } from "../store/webhookStore.js";
import type { OutboundPolicy } from "./addressGuard.js";
import { enqueueDelivery } from "./jobKind.js";
import { SLACK_EVENT_TYPES } from "./payloads.js";
import { newWebhookSecret } from "./signature.js";

export const DEFAULT_DELIVERIES_PAGE = 50;

export function toWireWebhook(stored: StoredWebhook): Webhook {
  return {
    id: stored.id,
    site_id: stored.siteId,
    url: stored.url,
    events: stored.events,
    format: stored.format,
    enabled: stored.enabled,
    disabled_at: stored.disabledAt,
    disabled_reason: stored.disabledReason,
    failing_since: stored.failingSince,
    created_at: stored.createdAt,
    updated_at: stored.updatedAt,
  };
}

export function toWireDelivery(stored: StoredWebhookDelivery): WebhookDelivery {
  return {
    id: stored.id,
    webhook_id: stored.webhookId,
    event_id: stored.eventId,
    event_type: stored.eventType,
    conversation_id: stored.conversationId,
    status: stored.status,
    attempts: stored.attempts,
    next_attempt_at: stored.status === "pending" ? stored.nextAttemptAt : null,
    response_status: stored.responseStatus,
    last_error: stored.lastError,
    duration_ms: stored.durationMs,
    created_at: stored.createdAt,
    updated_at: stored.updatedAt,
    delivered_at: stored.deliveredAt,
  };
}

export interface WebhookAdminDeps {
  store: Store;
  queue: JobQueue;
  policy: OutboundPolicy;
  /** Throws not_found for a site that does not exist. */
  requireSite: (siteId: number) => Promise<void>;
  /** Told after a site's webhooks changed (the producer reads them again). */
  changed: (siteId: number) => void;
  now: () => Date;
}

export class WebhookAdmin {
  constructor(private readonly deps: WebhookAdminDeps) {}

  async list(siteId: number): Promise<StoredWebhook[]> {
    await this.deps.requireSite(siteId);
    return this.deps.store.listWebhooks(siteId);
  }

  async get(siteId: number, webhookId: number): Promise<StoredWebhook> {
    await this.deps.requireSite(siteId);
    const webhook = await this.deps.store.getWebhook(webhookId);
    if (webhook === undefined || webhook.siteId !== siteId) throw notFound("Webhook");
    return webhook;
  }

  async create(siteId: number, input: CreateWebhookRequest): Promise<StoredWebhook> {
    await this.deps.requireSite(siteId);
    const format = input.format ?? "parley";
    const events = checkedEvents(input.events, format);
    const url = await this.checkedUrl(input.url);
    if ((await this.deps.store.listWebhooks(siteId)).length >= MAX_WEBHOOKS_PER_SITE) {
      throw new ChatError("conflict", `A site has at most ${MAX_WEBHOOKS_PER_SITE} webhooks`);
    }
    const created = await this.deps.store.createWebhook({
      siteId,
      url,
      events,
      format,
      secret: newWebhookSecret(),
      enabled: input.enabled ?? true,
      at: this.deps.now().toISOString(),
    });
    this.deps.changed(siteId);
    return created;
  }

  async update(siteId: number, webhookId: number, input: UpdateWebhookRequest): Promise<StoredWebhook> {
    const current = await this.get(siteId, webhookId);
    const format = input.format ?? current.format;
    const events = checkedEvents(input.events ?? current.events, format);
    const url = input.url === undefined ? undefined : await this.checkedUrl(input.url);
    const at = this.deps.now().toISOString();
    const enabling = input.enabled === true && !current.enabled;
    const disabling = input.enabled === false && current.enabled;
    const updated = await this.deps.store.updateWebhook(webhookId, {
      ...(url === undefined ? {} : { url }),
      events,
      format,
      ...(enabling ? { enabled: true, disabledAt: null, disabledReason: null, failingSince: null } : {}),
      ...(disabling ? { enabled: false, disabledAt: at, disabledReason: "disabled by an owner" } : {}),
      at,
    });
    if (updated === undefined) throw notFound("Webhook");
    this.deps.changed(siteId);
    if (disabling) await this.deps.store.failPendingWebhookDeliveries(webhookId, "webhook disabled", at);
    return updated;
  }

  async delete(siteId: number, webhookId: number): Promise<void> {
    await this.get(siteId, webhookId);
    if (!(await this.deps.store.deleteWebhook(webhookId))) throw notFound("Webhook");
    this.deps.changed(siteId);
  }

  async deliveries(
    siteId: number,
    webhookId: number,
    page: { beforeId?: number; limit?: number },
  ): Promise<{ deliveries: StoredWebhookDelivery[]; nextCursor: string | null }> {
    await this.get(siteId, webhookId);
    const limit = page.limit ?? DEFAULT_DELIVERIES_PAGE;
    const rows = await this.deps.store.listWebhookDeliveries(webhookId, {
      ...(page.beforeId === undefined ? {} : { beforeId: page.beforeId }),
      limit: limit + 1,
    });
    const deliveries = rows.slice(0, limit);
    const last = deliveries.at(-1);
    return { deliveries, nextCursor: rows.length > limit && last !== undefined ? String(last.id) : null };
  }

  /** The same event (id and body) again, as a new delivery after the conversation's pending ones. */
  async resend(siteId: number, webhookId: number, deliveryId: number): Promise<StoredWebhookDelivery> {
    const webhook = await this.get(siteId, webhookId);
    const original = await this.deps.store.getWebhookDelivery(deliveryId);
    if (original === undefined || original.webhookId !== webhookId) throw notFound("Delivery");
    if (!webhook.enabled) throw new ChatError("conflict", "The webhook is disabled: enable it first");
    const copy = await this.deps.store.insertWebhookDelivery({
      webhookId,
      eventId: original.eventId,
      eventKey: `resend:${randomUUID()}`,
      eventType: original.eventType,
      conversationId: original.conversationId,
      contactId: original.contactId,
      payload: original.payload,
      at: this.deps.now().toISOString(),
    });
    if (copy === undefined) throw new Error("a resend's fresh key collided");
    await enqueueDelivery(this.deps.queue, webhookId);
    return copy;
  }

  async secret(siteId: number, webhookId: number): Promise<string> {
    return (await this.get(siteId, webhookId)).secret;
  }

  private async checkedUrl(raw: string): Promise<string> {
    const url = raw.trim();
    const problem = await this.deps.policy.problem(url);
    if (problem !== undefined) throw invalid(problem);
    return url;
  }
}

function checkedEvents(events: readonly WebhookEventType[], format: WebhookFormat): WebhookEventType[] {
  const unique = [...new Set(events)];
  if (unique.length === 0) throw invalid("events must name at least one event");
  if (format === "slack") {
    const other = unique.find((type) => !SLACK_EVENT_TYPES.includes(type));
    if (other !== undefined)
      throw invalid(`a slack webhook takes only ${SLACK_EVENT_TYPES.join(" and ")}, not ${other}`);
  }
  return unique;
}
