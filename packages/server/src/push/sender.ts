/**
 * Sends one encrypted push (RFC 8291 aes128gcm, VAPID per RFC 8292) with the `web-push` library
 * and sorts the push service's answer into what the delivery job should do with it.
 */
import type { WebPushError } from "web-push";
import type { StoredPushSubscription } from "../store/store.js";
import { unambiguousEndpoint } from "./endpoints.js";
import { loadWebPush } from "./loadWebPush.js";
import type { VapidKeys } from "./vapidKeys.js";

export type PushResult =
  | { kind: "delivered"; status: number }
  /** 404/410: the browser unsubscribed or the subscription expired; it never comes back. */
  | { kind: "gone"; status: number }
  /** 429, 5xx, or no answer: worth trying again later. */
  | { kind: "retry"; reason: string; retryAfterMs?: number }
  /** Any other 4xx (bad keys, a payload too large, VAPID refused): retrying cannot help. */
  | { kind: "rejected"; status: number; reason: string };

export interface PushMessage {
  payload: string;
  /** Replaces an undelivered push with the same topic at the push service. */
  topic: string;
  ttlSeconds: number;
}

export interface PushSender {
  send(subscription: StoredPushSubscription, message: PushMessage): Promise<PushResult>;
}

export interface WebPushSenderOptions {
  vapid: VapidKeys;
  subject: string;
  timeoutMs?: number;
}

export class WebPushSender implements PushSender {
  constructor(private readonly options: WebPushSenderOptions) {}

  async send(subscription: StoredPushSubscription, message: PushMessage): Promise<PushResult> {
    // The last gate before the network: web-push connects to whatever its legacy parser reads,
    // so an endpoint that parser could read differently (a row saved before the allow-list was
    // strict, or written by other means) is never sent to.
    if (unambiguousEndpoint(subscription.endpoint) === undefined) {
      return { kind: "rejected", status: 0, reason: "endpoint is not an unambiguous https URL" };
    }
    const webpush = await loadWebPush();
    try {
      const response = await webpush.default.sendNotification(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        message.payload,
        {
          vapidDetails: { subject: this.options.subject, ...this.options.vapid },
          contentEncoding: "aes128gcm",
          TTL: message.ttlSeconds,
          urgency: "high",
          topic: message.topic,
          timeout: this.options.timeoutMs ?? 10_000,
        },
      );
      return { kind: "delivered", status: response.statusCode };
    } catch (error) {
      if (error instanceof webpush.WebPushError) return classify(error);
      // No answer: refused, reset, timed out, DNS. The push service may well be back soon.
      return { kind: "retry", reason: error instanceof Error ? error.message : String(error) };
    }
  }
}

function classify(error: WebPushError): PushResult {
  const status = error.statusCode;
  const reason = `push service answered ${status}${error.body ? `: ${error.body.slice(0, 200)}` : ""}`;
  if (status === 404 || status === 410) return { kind: "gone", status };
  if (status === 429 || status >= 500) {
    const retryAfterMs = retryAfter(error.headers["retry-after"]);
    return retryAfterMs === undefined ? { kind: "retry", reason } : { kind: "retry", reason, retryAfterMs };
  }
  return { kind: "rejected", status, reason };
}

/** Retry-After is seconds or an HTTP date (RFC 9110). */
function retryAfter(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(date - Date.now(), 0);
}
