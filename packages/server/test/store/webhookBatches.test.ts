/**
 * The webhook outbox's batch and a batch's recorded attempts, on a real store (SQLite, and
 * Postgres when TEST_DATABASE_URL is set, where each is one statement whatever the batch's
 * size): the outbox stores each (webhook, event key) once, earlier ones of the batch and of
 * before it winning, with ids in the batch's order and one wake per webhook; recording a batch
 * writes each attempt's own outcome to its own row, releases every claim, sets delivered_at only
 * on a delivery, and leaves the batch's other rows alone.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { NewWebhookDeliveryAndWake, StoredWebhook } from "../../src/store/webhookStore.js";
import { deliveryWake } from "../../src/webhooks/jobKind.js";
import { POSTGRES_SKIP } from "../support/postgres.js";
import { STORE_ENGINES, type OpenedStore } from "../support/storeEngines.js";

const AT = "2026-12-04T10:00:00.000Z";
const LATER = "2026-12-04T10:00:05.000Z";

for (const engine of STORE_ENGINES) {
  describe(`webhook batches (${engine.name})`, () => {
    let opened: OpenedStore | undefined;
    let skip: string | false = false;
    let webhooks: StoredWebhook[] = [];
    before(async () => {
      opened = await engine.open();
      if (opened === undefined) {
        skip = POSTGRES_SKIP;
        return;
      }
      await opened.store.migrate();
      const site = await opened.store.getDefaultSite();
      webhooks = [];
      for (const url of ["https://one.example/hook", "https://two.example/hook"])
        webhooks.push(
          await opened.store.createWebhook({
            siteId: site.id,
            url,
            events: ["message.created"],
            format: "parley",
            secret: "s".repeat(32),
            enabled: true,
            at: AT,
          }),
        );
    });
    after(async () => {
      await opened?.store.close();
      await opened?.drop();
    });

    // Each row its own conversation: a claim takes only the oldest pending event of one.
    let conversationId = 1000;
    const row = (
      webhook: StoredWebhook,
      eventKey: string,
      payload = eventKey,
    ): NewWebhookDeliveryAndWake => ({
      delivery: {
        webhookId: webhook.id,
        eventId: `id-${eventKey}-${payload}`,
        eventKey,
        eventType: "message.created",
        conversationId: conversationId++,
        contactId: null,
        payload,
        at: AT,
      },
      wake: deliveryWake(webhook.id, AT),
    });

    it("stores each event once per webhook, in the batch's order, with one wake per webhook", async (t) => {
      if (skip) return t.skip(skip);
      const store = opened!.store;
      const [one, two] = webhooks as [StoredWebhook, StoredWebhook];
      assert.deepEqual((await store.insertWebhookDeliveries([row(one, "before")])).inserted, [true]);
      const { inserted, jobsAdded } = await store.insertWebhookDeliveries([
        row(one, "a"),
        row(two, "a"),
        row(one, "before", "again"),
        row(one, "b"),
        row(one, "a", "twice"),
      ]);
      assert.deepEqual(inserted, [true, true, false, true, false]);
      // The first batch's wake for webhook one is still pending: only webhook two's is added.
      assert.equal(jobsAdded, 1);
      const stored = await store.listWebhookDeliveries(one.id, { limit: 10 });
      assert.deepEqual(
        stored.map((delivery) => delivery.payload),
        ["b", "a", "before"],
        "newest first: ids in the batch's order, the first of each key kept",
      );
      for (const delivery of stored) {
        assert.equal(delivery.status, "pending");
        assert.equal(delivery.attempts, 0);
        assert.equal(delivery.nextAttemptAt, AT);
        assert.equal(delivery.createdAt, AT);
      }
    });

    it("records a batch's attempts, each on its own row, and leaves the others alone", async (t) => {
      if (skip) return t.skip(skip);
      const store = opened!.store;
      const [one] = webhooks as [StoredWebhook];
      await store.insertWebhookDeliveries(["x", "y", "z", "untouched"].map((key) => row(one, key)));
      const claimed = await store.claimWebhookDeliveries(one.id, {
        now: LATER,
        until: "2026-12-04T11:00:00.000Z",
        limit: 50,
      });
      const byPayload = new Map(claimed.map((delivery) => [delivery.payload, delivery]));
      const id = (payload: string) => byPayload.get(payload)!.id;
      await store.recordWebhookDeliveryAttempts([
        {
          id: id("x"),
          attempt: {
            status: "delivered",
            nextAttemptAt: null,
            responseStatus: 204,
            error: null,
            durationMs: 12,
            at: LATER,
          },
        },
        {
          id: id("y"),
          attempt: {
            status: "pending",
            nextAttemptAt: "2026-12-04T10:01:05.000Z",
            responseStatus: 503,
            error: "receiver answered 503",
            durationMs: 40,
            at: LATER,
          },
        },
        {
          id: id("z"),
          attempt: {
            status: "failed",
            nextAttemptAt: null,
            responseStatus: null,
            error: "timed out",
            durationMs: 1000,
            at: LATER,
          },
        },
      ]);
      const read = async (payload: string) => (await store.getWebhookDelivery(id(payload)))!;
      const x = await read("x");
      assert.deepEqual(
        [
          x.status,
          x.attempts,
          x.nextAttemptAt,
          x.lockedUntil,
          x.responseStatus,
          x.lastError,
          x.durationMs,
          x.updatedAt,
          x.deliveredAt,
        ],
        ["delivered", 1, null, null, 204, null, 12, LATER, LATER],
      );
      const y = await read("y");
      assert.deepEqual(
        [
          y.status,
          y.attempts,
          y.nextAttemptAt,
          y.lockedUntil,
          y.responseStatus,
          y.lastError,
          y.durationMs,
          y.deliveredAt,
        ],
        ["pending", 1, "2026-12-04T10:01:05.000Z", null, 503, "receiver answered 503", 40, null],
      );
      const z = await read("z");
      assert.deepEqual(
        [z.status, z.attempts, z.lockedUntil, z.responseStatus, z.lastError, z.durationMs, z.deliveredAt],
        ["failed", 1, null, null, "timed out", 1000, null],
      );
      const untouched = await read("untouched");
      assert.equal(untouched.status, "pending");
      assert.equal(untouched.attempts, 0);
      assert.equal(
        untouched.lockedUntil,
        "2026-12-04T11:00:00.000Z",
        "its claim holds: it was not in the batch",
      );
      assert.equal(untouched.updatedAt, AT);
    });
  });
}
