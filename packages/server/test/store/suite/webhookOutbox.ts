/**
 * The webhook outbox's batch: deliveries and the jobs that send them in one transaction, each row
 * as insertWebhookDelivery would store it alone, each (webhook, conversation) woken once.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Store } from "../../../src/store/store.js";
import type { NewWebhookDeliveryAndWake } from "../../../src/store/webhookStore.js";
import { at, newConversation, withStore, type StoreFactory } from "./harness.js";

async function newWebhook(store: Store) {
  return store.createWebhook({
    siteId: (await store.getDefaultSite()).id,
    url: "https://example.com/hook",
    events: ["message.created"],
    format: "parley",
    secret: "s",
    enabled: true,
    at: at(0),
  });
}

function row(webhookId: number, conversationId: number, eventKey: string): NewWebhookDeliveryAndWake {
  const pair = `webhook.deliver:${webhookId}:${conversationId}`;
  return {
    delivery: {
      webhookId,
      eventId: `id-${eventKey}`,
      eventKey,
      eventType: "message.created",
      conversationId,
      payload: JSON.stringify({ eventKey }),
      at: at(1),
    },
    wake: { kind: "webhook.deliver", payload: pair, runAt: at(1), dedupeKey: pair, at: at(1) },
  };
}

export function webhookOutboxTests(fresh: StoreFactory): void {
  describe("webhook outbox batch", () => {
    it("stores the rows in order, a repeated event key once, and wakes each pair once", () =>
      withStore(fresh, async (store) => {
        const webhook = await newWebhook(store);
        const [one, two] = [await newConversation(store), await newConversation(store)];
        assert.deepEqual(await store.insertWebhookDeliveries([row(webhook.id, one.id, "m:0")]), {
          inserted: [true],
          jobsAdded: 1,
        });

        const batch = await store.insertWebhookDeliveries([
          row(webhook.id, one.id, "m:1"),
          row(webhook.id, two.id, "m:2"),
          row(webhook.id, one.id, "m:0"), // stored by the batch before
          row(webhook.id, one.id, "m:3"),
          row(webhook.id, two.id, "m:2"), // earlier in this batch
        ]);

        assert.deepEqual(batch.inserted, [true, true, false, true, false]);
        assert.equal(batch.jobsAdded, 1, "one's job was pending already; two's is new");
        const deliveries = await store.listWebhookDeliveries(webhook.id, { limit: 10 });
        assert.deepEqual(
          deliveries.map((delivery) => [delivery.eventKey, delivery.conversationId, delivery.status]),
          [
            ["m:3", one.id, "pending"],
            ["m:2", two.id, "pending"],
            ["m:1", one.id, "pending"],
            ["m:0", one.id, "pending"],
          ],
          "newest first: ids in the order given",
        );
        assert.deepEqual(
          (await store.listJobs()).map((job) => job.dedupeKey),
          [`webhook.deliver:${webhook.id}:${one.id}`, `webhook.deliver:${webhook.id}:${two.id}`],
        );
      }));

    it("stores nothing of a batch when one of its rows fails", () =>
      withStore(fresh, async (store) => {
        const webhook = await newWebhook(store);
        const conversation = await newConversation(store);
        const bad = row(webhook.id, conversation.id, "m:2");
        // A NOT NULL column left null: the database refuses the row.
        bad.delivery.payload = null as unknown as string;

        await assert.rejects(store.insertWebhookDeliveries([row(webhook.id, conversation.id, "m:1"), bad]));

        assert.deepEqual(await store.listWebhookDeliveries(webhook.id, { limit: 10 }), []);
        assert.deepEqual(await store.listJobs(), []);
        assert.deepEqual(await store.insertWebhookDeliveries([]), { inserted: [], jobsAdded: 0 });
      }));
  });
}
