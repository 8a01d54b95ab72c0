/**
 * The store's part for webhooks (protocol §13): endpoints per site, and deliveries, which are the
 * outbox the delivery job works through (oldest pending first, per conversation) and the log.
 */
import type { WebhookDeliveryStatus, WebhookEventType, WebhookFormat } from "@parley/protocol";
import type { DedupedJob } from "./store.js";

export interface StoredWebhook {
  id: number;
  siteId: number;
  url: string;
  events: WebhookEventType[];
  format: WebhookFormat;
  secret: string;
  enabled: boolean;
  disabledAt: string | null;
  disabledReason: string | null;
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewWebhook {
  siteId: number;
  url: string;
  events: WebhookEventType[];
  format: WebhookFormat;
  secret: string;
  enabled: boolean;
  at: string;
}

export interface WebhookPatch {
  url?: string;
  events?: WebhookEventType[];
  format?: WebhookFormat;
  enabled?: boolean;
  disabledAt?: string | null;
  disabledReason?: string | null;
  failingSince?: string | null;
  at: string;
}

export interface StoredWebhookDelivery {
  id: number;
  webhookId: number;
  eventId: string;
  eventKey: string;
  eventType: WebhookEventType;
  conversationId: number | null;
  /** An event about no conversation: the contact it is about (null when stored before 018). */
  contactId: number | null;
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lockedUntil: string | null;
  responseStatus: number | null;
  lastError: string | null;
  durationMs: number | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

export interface NewWebhookDelivery {
  webhookId: number;
  eventId: string;
  /** Unique per webhook: a second insert with the same key stores nothing. */
  eventKey: string;
  eventType: WebhookEventType;
  conversationId: number | null;
  /**
   * An event about no conversation (`contact.identified` before the browser chatted): its
   * contact. Such events go in order per contact, as a conversation's do; null otherwise.
   */
  contactId: number | null;
  payload: string;
  at: string;
}

/** A delivery to store with the job that sends it (see insertWebhookDeliveries). */
export interface NewWebhookDeliveryAndWake {
  delivery: NewWebhookDelivery;
  /** Enqueued when the delivery is stored; its dedupe key collapses it with pending ones. */
  wake: DedupedJob;
}

/** What insertWebhookDeliveries stored. */
export interface StoredWebhookDeliveries {
  /** One per row given, in order: false when its (webhook, event key) was stored already. */
  inserted: boolean[];
  /** How many wake jobs were added (the others collapsed into pending ones). */
  jobsAdded: number;
}

/** What one request to the receiver came to. */
export interface DeliveryAttempt {
  status: WebhookDeliveryStatus;
  /** When still pending: the next try. */
  nextAttemptAt: string | null;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
  at: string;
}

export interface WebhookStore {
  createWebhook(input: NewWebhook): Promise<StoredWebhook>;
  /** A site's webhooks, oldest first. */
  listWebhooks(siteId: number): Promise<StoredWebhook[]>;
  getWebhook(id: number): Promise<StoredWebhook | undefined>;
  updateWebhook(id: number, patch: WebhookPatch): Promise<StoredWebhook | undefined>;
  /** Deletes the webhook and its deliveries; false when it did not exist. */
  deleteWebhook(id: number): Promise<boolean>;

  /** Stores a pending delivery; undefined when one with the same (webhook, event key) exists. */
  insertWebhookDelivery(input: NewWebhookDelivery): Promise<StoredWebhookDelivery | undefined>;
  /**
   * insertWebhookDelivery for many rows, and enqueueJob for the wake of each row stored, all in
   * one transaction: the rows get ids in the order given, and a batch costs one commit.
   */
  insertWebhookDeliveries(rows: NewWebhookDeliveryAndWake[]): Promise<StoredWebhookDeliveries>;
  getWebhookDelivery(id: number): Promise<StoredWebhookDelivery | undefined>;
  /**
   * Claims, until `until`, up to `limit` of a webhook's deliveries that can be sent now, oldest
   * first: each the oldest pending delivery of its conversation (of its contact, for an event
   * about no conversation), due by `now`, and not under another claim that holds past `now`. So
   * one conversation's (or contact's) events go one at a time, in order, while others' go beside
   * them. Recording an attempt releases the claim.
   */
  claimWebhookDeliveries(
    webhookId: number,
    claim: { now: string; until: string; limit: number },
  ): Promise<StoredWebhookDelivery[]>;
  /** When a webhook's earliest pending delivery waiting for a retry after `now` is due, if any. */
  nextWebhookRetryAt(webhookId: number, now: string): Promise<string | undefined>;
  /** Records a batch's attempts, in one transaction; each releases its delivery's claim. */
  recordWebhookDeliveryAttempts(attempts: Array<{ id: number; attempt: DeliveryAttempt }>): Promise<void>;
  /** Gives up every pending delivery of a webhook (it was disabled); returns how many. */
  failPendingWebhookDeliveries(webhookId: number, reason: string, at: string): Promise<number>;
  /** Every webhook with a pending delivery (a boot wakes their jobs). */
  listWebhooksWithPending(): Promise<number[]>;
  /** Newest first, ids below `beforeId` when given. */
  listWebhookDeliveries(
    webhookId: number,
    page: { beforeId?: number; limit: number },
  ): Promise<StoredWebhookDelivery[]>;
}
