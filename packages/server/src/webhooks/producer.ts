/**
 * Turns chat's committed changes into deliveries: for each enabled webhook of the site that
 * subscribed to the event, one pending delivery row (the outbox) and a wake of its
 * (webhook, conversation) job. Changes are handled one at a time, in the order chat made them,
 * so a conversation's rows are stored in that order (and sent in it: deliverJob.ts).
 *
 * A message posted again (a retried send, the store tail) or a conversation started twice keys
 * its event by the message's or conversation's id, so it is stored once per webhook. A process
 * that dies between its commit and this store loses that event: chat's commits and the outbox
 * are not one transaction (docs/api.md says so).
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { ContactIdentified, Happening } from "../chat/events.js";
import { toWireConversation } from "../chat/toWire.js";
import type { JobQueue } from "../jobs/queue.js";
import type { Store } from "../store/store.js";
import type { StoredWebhook } from "../store/webhookStore.js";
import { enqueueDelivery } from "./jobKind.js";
import { bodyFor, contactIdentifiedEvent, parleyEvent } from "./payloads.js";

export interface WebhookProducerDeps {
  store: Pick<Store, "listWebhooks" | "getConversation" | "insertWebhookDelivery">;
  queue: JobQueue;
  logger: Logger;
  /** Whether the visitor is connected now (the Conversation shape says so). */
  isOnline: (visitorToken: string) => Promise<boolean>;
  now: () => Date;
}

/**
 * How long a site's webhooks are read from memory: every message asks, and most sites have none.
 * Changes made on this node are seen at once (forget); another node's within this time.
 */
const WEBHOOKS_CACHE_MS = 5000;

export class WebhookProducer {
  private chain: Promise<void> = Promise.resolve();
  private readonly cached = new Map<number, { until: number; webhooks: Promise<StoredWebhook[]> }>();

  constructor(private readonly deps: WebhookProducerDeps) {}

  /** A site's webhooks changed here: the next event reads them again. */
  forget(siteId: number): void {
    this.cached.delete(siteId);
  }

  private webhooksOf(siteId: number): Promise<StoredWebhook[]> {
    const now = Date.now();
    const hit = this.cached.get(siteId);
    if (hit !== undefined && hit.until > now) return hit.webhooks;
    const webhooks = this.deps.store.listWebhooks(siteId);
    this.cached.set(siteId, { until: now + WEBHOOKS_CACHE_MS, webhooks });
    // A failed read is not kept.
    webhooks.catch(() => this.cached.delete(siteId));
    return webhooks;
  }

  /** Takes a change (from chat's Signal); stored after every change taken before it. */
  take(happening: Happening): void {
    this.chain = this.chain
      .then(() => this.produce(happening))
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error, event: happening.type }, "webhooks: could not store an event");
      });
  }

  /** Resolves once every change taken so far is stored (before the store closes). */
  idle(): Promise<void> {
    return this.chain;
  }

  private async produce(happening: Happening): Promise<void> {
    if (happening.type === "contact.identified") return this.produceIdentified(happening);
    const { siteId, id: conversationId } = happening.conversation;
    const webhooks = (await this.webhooksOf(siteId)).filter(
      (webhook) => webhook.enabled && webhook.events.includes(happening.type),
    );
    if (webhooks.length === 0) return;
    // The conversation as it is now: a message's event carries it with that message as its latest.
    const stored = (await this.deps.store.getConversation(conversationId)) ?? happening.conversation;
    const conversation = toWireConversation(stored, await this.deps.isOnline(stored.visitorToken));
    const now = this.deps.now().toISOString();
    const id = randomUUID();
    const event = parleyEvent(happening, conversation, { id, createdAt: now });
    const eventKey =
      happening.type === "message.created"
        ? `message.created:${happening.message.id}`
        : happening.type === "conversation.created"
          ? `conversation.created:${conversationId}`
          : `${happening.type}:${id}`;
    for (const webhook of webhooks) {
      const body = bodyFor(webhook.format, happening, conversation, event);
      if (body === undefined) continue;
      const delivery = await this.deps.store.insertWebhookDelivery({
        webhookId: webhook.id,
        eventId: id,
        eventKey,
        eventType: happening.type,
        conversationId,
        payload: body,
        at: now,
      });
      if (delivery !== undefined)
        await enqueueDelivery(this.deps.queue, { webhookId: webhook.id, conversationId });
    }
  }

  /**
   * A contact's event goes with its conversation's events when the token has one (one chain, so
   * in order with them), else on the webhook's chain of events about no conversation.
   */
  private async produceIdentified(happening: ContactIdentified): Promise<void> {
    const webhooks = (await this.webhooksOf(happening.contact.site_id)).filter(
      (webhook) => webhook.enabled && webhook.format === "parley" && webhook.events.includes(happening.type),
    );
    if (webhooks.length === 0) return;
    const now = this.deps.now().toISOString();
    const id = randomUUID();
    const payload = JSON.stringify(contactIdentifiedEvent(happening, { id, createdAt: now }));
    const conversationId = happening.conversation?.id ?? null;
    for (const webhook of webhooks) {
      const delivery = await this.deps.store.insertWebhookDelivery({
        webhookId: webhook.id,
        eventId: id,
        eventKey: `${happening.type}:${id}`,
        eventType: happening.type,
        conversationId,
        payload,
        at: now,
      });
      if (delivery !== undefined)
        await enqueueDelivery(this.deps.queue, { webhookId: webhook.id, conversationId });
    }
  }
}
