import assert from "node:assert/strict";
import { test } from "node:test";
import type { Webhook, WebhookDelivery } from "@parley/protocol";
import {
  attemptsText,
  durationText,
  mergeDeliveries,
  responseText,
  spanText,
  webhookStateText,
} from "../src/state/webhooks.js";

const NOW = Date.parse("2026-11-30T12:00:00Z");

function webhook(overrides: Partial<Webhook> = {}): Webhook {
  return {
    id: 7,
    site_id: 1,
    url: "https://crm.example.com/parley",
    events: ["message.created"],
    format: "parley",
    enabled: true,
    disabled_at: null,
    disabled_reason: null,
    failing_since: null,
    created_at: "2026-11-29T10:00:00Z",
    updated_at: "2026-11-29T10:00:00Z",
    ...overrides,
  };
}

function delivery(id: number, overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id,
    webhook_id: 7,
    event_id: `event-${id}`,
    event_type: "message.created",
    conversation_id: 3,
    status: "pending",
    attempts: 0,
    next_attempt_at: null,
    response_status: null,
    last_error: null,
    duration_ms: null,
    created_at: "2026-11-30T11:00:00Z",
    updated_at: "2026-11-30T11:00:00Z",
    delivered_at: null,
    ...overrides,
  };
}

test("webhooks: spans in the largest whole unit", () => {
  assert.equal(spanText(24 * 3600_000 + 5000), "a day");
  assert.equal(spanText(3 * 24 * 3600_000), "3 days");
  assert.equal(spanText(3600_000), "an hour");
  assert.equal(spanText(5 * 60_000), "5 minutes");
  assert.equal(spanText(60_000), "a minute");
  assert.equal(spanText(10_000), "less than a minute");
});

test("webhooks: why a webhook is on or off, plainly", () => {
  assert.equal(webhookStateText(webhook(), NOW), "On");
  assert.match(
    webhookStateText(webhook({ failing_since: "2026-11-30T09:00:00Z" }), NOW),
    /^On, but failing for 3 hours/,
  );
  assert.equal(
    webhookStateText(
      webhook({
        enabled: false,
        disabled_at: "2026-11-30T10:00:00Z",
        disabled_reason: "failing since 2026-11-29T10:00:00.000Z; last error: HTTP 500",
      }),
      NOW,
    ),
    "Disabled by Parley after failing for a day: HTTP 500",
  );
  assert.equal(
    webhookStateText(webhook({ enabled: false, disabled_reason: "disabled by an owner" }), NOW),
    "Disabled by an owner",
  );
  assert.equal(
    webhookStateText(webhook({ enabled: false, disabled_reason: "something new" }), NOW),
    "Disabled: something new",
  );
  assert.equal(webhookStateText(webhook({ enabled: false }), NOW), "Disabled");
});

test("webhooks: a delivery's answer, duration and attempts", () => {
  assert.equal(responseText(delivery(1, { response_status: 200, attempts: 1 })), "HTTP 200");
  assert.equal(responseText(delivery(1, { attempts: 2 })), "no answer");
  assert.equal(responseText(delivery(1)), "not sent yet");
  assert.equal(durationText(null), null);
  assert.equal(durationText(120), "120 ms");
  assert.equal(durationText(2345), "2.3 s");
  assert.equal(attemptsText(1), "1 attempt");
  assert.equal(attemptsText(0), "0 attempts");
});

test("webhooks: the log merges by id, newest first, the fresher line winning", () => {
  const shown = [delivery(5), delivery(4), delivery(2)];
  const fresh = [delivery(6), delivery(5, { status: "delivered", response_status: 200 })];
  const merged = mergeDeliveries(shown, fresh);
  assert.deepEqual(
    merged.map((line) => line.id),
    [6, 5, 4, 2],
  );
  assert.equal(merged[1]?.status, "delivered");
  assert.deepEqual(
    mergeDeliveries(merged, [delivery(1), delivery(2)]).map((line) => line.id),
    [6, 5, 4, 2, 1],
    "an older page appends without doubling a line",
  );
});
