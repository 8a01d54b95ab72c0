/**
 * Webhooks in words an owner reads: what each event means, why a webhook is off, how a delivery
 * went. Pure, so the wording is tested without a browser. The log is merged by id, so a refresh,
 * a "Load more" and a resend never show a delivery twice.
 */
import { messages } from "../i18n/index.js";
import type { Webhook, WebhookDelivery, WebhookEventType, WebhookFormat } from "@parley/protocol";

export const EVENT_LABELS: Record<WebhookEventType, string> = {
  "conversation.created": "A conversation starts",
  "message.created": "A message is written",
  "conversation.status_changed": "A conversation is closed or reopened",
  "conversation.assigned": "A conversation is assigned",
  "contact.identified": "A visitor is identified (verified)",
};

/** What the create form offers, in the order an owner reads them: every event. */
export const OFFERED_EVENTS: readonly WebhookEventType[] = [
  "conversation.created",
  "message.created",
  "conversation.status_changed",
  "conversation.assigned",
  "contact.identified",
];

/** The events a Slack webhook takes (the server refuses others with its own words). */
export const SLACK_EVENTS: readonly WebhookEventType[] = ["conversation.created", "message.created"];

/** The dictionary keys of the events' and formats' words. */
export const EVENT_KEYS = {
  "conversation.created": "eventConversationCreated",
  "message.created": "eventMessageCreated",
  "conversation.status_changed": "eventStatusChanged",
  "conversation.assigned": "eventAssigned",
  "contact.identified": "eventContactIdentified",
} as const satisfies Record<WebhookEventType, string>;

export const FORMAT_KEYS = {
  parley: "formatParley",
  slack: "formatSlack",
} as const satisfies Record<WebhookFormat, string>;

/** An event's words in the inbox's language (an event this inbox does not know: its name). */
export function eventLabel(type: string): string {
  const key = (EVENT_KEYS as Record<string, (typeof EVENT_KEYS)[WebhookEventType] | undefined>)[type];
  return key === undefined ? type : messages()[key];
}

export const FORMAT_LABELS: Record<WebhookFormat, string> = {
  parley: "Parley (signed JSON)",
  slack: "Slack message",
};

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A span in the largest whole unit: "a day", "3 hours", "1 minute", "less than a minute". */
export function spanText(ms: number): string {
  const t = messages();
  const units: Array<[number, (count: number) => string]> = [
    [DAY, t.spanDays],
    [HOUR, t.spanHours],
    [MINUTE, t.spanMinutes],
  ];
  for (const [size, words] of units) {
    const count = Math.floor(ms / size);
    if (count >= 1) return words(count);
  }
  return t.spanUnderMinute;
}

/** Parley's own reason: "failing since <time>; last error: <error>". */
const PARLEY_REASON = /^failing since (\S+); last error: (.*)$/s;

/** Why a webhook is on or off, in one plain sentence; `failing_since` is said while it still runs. */
export function webhookStateText(webhook: Webhook, nowMs: number): string {
  const t = messages();
  if (webhook.enabled) {
    if (webhook.failing_since === null) return t.webhookOn;
    const failing = Date.parse(webhook.failing_since);
    return t.webhookFailing(spanText(Math.max(0, nowMs - failing)));
  }
  const reason = webhook.disabled_reason ?? "";
  const parley = PARLEY_REASON.exec(reason);
  if (parley !== null) {
    const since = Date.parse(parley[1] ?? "");
    const until = webhook.disabled_at === null ? nowMs : Date.parse(webhook.disabled_at);
    const span = Number.isNaN(since) ? t.spanDays(1) : spanText(Math.max(0, until - since));
    return t.webhookDisabledByParley(span, parley[2] ?? "");
  }
  if (reason === "disabled by an owner") return t.webhookDisabledByOwner;
  if (reason === "created disabled") return t.webhookCreatedDisabled;
  return reason === "" ? t.webhookDisabled : t.webhookDisabledBecause(reason);
}

export const DELIVERY_STATUS_KEYS = {
  pending: "deliveryPending",
  delivered: "deliveryDelivered",
  failed: "deliveryFailed",
} as const satisfies Record<WebhookDelivery["status"], string>;

export const DELIVERY_STATUS_LABELS: Record<WebhookDelivery["status"], string> = {
  pending: "Pending",
  delivered: "Delivered",
  failed: "Failed",
};

/** "HTTP 200", or why there was no status. */
export function responseText(delivery: WebhookDelivery): string {
  if (delivery.response_status !== null) return `HTTP ${delivery.response_status}`;
  return delivery.attempts === 0 ? messages().notSentYet : messages().noAnswerShort;
}

export function durationText(ms: number | null): string | null {
  if (ms === null) return null;
  return ms < SECOND ? `${ms} ms` : `${(ms / SECOND).toFixed(1)} s`;
}

export function attemptsText(attempts: number): string {
  return attempts === 1 ? "1 attempt" : `${attempts} attempts`;
}

/** The log as shown: newest first, one line per delivery id, the fresher copy of a line winning. */
export function mergeDeliveries(
  shown: readonly WebhookDelivery[],
  fresh: readonly WebhookDelivery[],
): WebhookDelivery[] {
  const byId = new Map<number, WebhookDelivery>();
  for (const delivery of shown) byId.set(delivery.id, delivery);
  for (const delivery of fresh) byId.set(delivery.id, delivery);
  return [...byId.values()].sort((one, other) => other.id - one.id);
}

/** A URL shown in a row: the host and path, without the scheme everyone shares. */
export function shortUrl(url: string): string {
  return url.replace(/^https:\/\//, "");
}

/** A log line's time, to the second: deliveries and their retries are seconds apart. */
export function logTime(iso: string, locale?: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at)
    ? ""
    : new Date(at).toLocaleString(locale, { dateStyle: "medium", timeStyle: "medium" });
}
