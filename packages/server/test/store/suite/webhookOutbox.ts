/**
 * The webhook outbox's batch: deliveries and the jobs that send them in one transaction, each row
 * as insertWebhookDelivery would store it alone, each (webhook, conversation) woken once.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { at, newConversation, newWebhook, outboxRow, withStore, type StoreFactory } from "./harness.js";

/** A delivery's attempt that the receiver took. */
function delivered(id: number, when: string) {
  return {
    id,
    attempt: {
      status: "delivered" as const,
      nextAttemptAt: null,
      responseStatus: 204,
      error: null,
      durationMs: 1,
      at: when,
    },
  };
}

export function webhookOutboxTests(fresh: StoreFactory): void {
  describe("webhook outbox batch", () => {
    it("stores the rows in order, a repeated event key once, and wakes each pair once", () =>
      withStore(fresh, async (store) => {
        const webhook = await newWebhook(store);
        const [one, two] = [await newConversation(store), await newConversation(store)];
        assert.deepEqual(await store.insertWebhookDeliveries([outboxRow(webhook.id, one.id, "m:0")]), {
          inserted: [true],
          jobsAdded: 1,
        });

        const batch = await store.insertWebhookDeliveries([
          outboxRow(webhook.id, one.id, "m:1"),
          outboxRow(webhook.id, two.id, "m:2"),
          outboxRow(webhook.id, one.id, "m:0"), // stored by the batch before
          outboxRow(webhook.id, one.id, "m:3"),
          outboxRow(webhook.id, two.id, "m:2"), // earlier in this batch
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
        const bad = outboxRow(webhook.id, conversation.id, "m:2");
        // A NOT NULL column left null: the database refuses the row.
        bad.delivery.payload = null as unknown as string;

        await assert.rejects(
          store.insertWebhookDeliveries([outboxRow(webhook.id, conversation.id, "m:1"), bad]),
        );

        assert.deepEqual(await store.listWebhookDeliveries(webhook.id, { limit: 10 }), []);
        assert.deepEqual(await store.listJobs(), []);
        assert.deepEqual(await store.insertWebhookDeliveries([]), { inserted: [], jobsAdded: 0 });
      }));

    it("claims each conversation's and each contact's first pending delivery, side by side", () =>
      withStore(fresh, async (store) => {
        const webhook = await newWebhook(store);
        const conversation = await newConversation(store);
        // Two contacts identified before they chatted: their events are about no conversation.
        const [ann, bob] = [7001, 7002];
        await store.insertWebhookDeliveries([
          outboxRow(webhook.id, conversation.id, "m:1"),
          outboxRow(webhook.id, null, "ann:1", ann),
          outboxRow(webhook.id, null, "ann:2", ann),
          outboxRow(webhook.id, null, "bob:1", bob),
          outboxRow(webhook.id, conversation.id, "m:2"),
        ]);
        const claim = () => store.claimWebhookDeliveries(webhook.id, { now: at(2), until: at(3), limit: 10 });

        const first = await claim();
        assert.deepEqual(
          first.map((delivery) => [delivery.eventKey, delivery.contactId]),
          [
            ["m:1", null],
            ["ann:1", ann],
            ["bob:1", bob],
          ],
          "one contact's second event waits for its first, as a conversation's does; the others go",
        );
        assert.deepEqual(await claim(), [], "everything sendable is claimed");

        await store.recordWebhookDeliveryAttempts(first.map((delivery) => delivered(delivery.id, at(2))));
        assert.deepEqual(
          (await claim()).map((delivery) => delivery.eventKey),
          ["ann:2", "m:2"],
        );
      }));

    it("claims by each line's first pending delivery: a retry not yet due or a claim holds its line", () =>
      withStore(fresh, async (store) => {
        const webhook = await newWebhook(store);
        // Conversations by number only: a delivery's conversation is not a reference.
        await store.insertWebhookDeliveries([
          outboxRow(webhook.id, 1, "c1:a"),
          outboxRow(webhook.id, 1, "c1:b"),
          outboxRow(webhook.id, 2, "c2:a"),
          // Stored before deliveries had a contact: about neither, a line of its own each.
          outboxRow(webhook.id, null, "old:1"),
          outboxRow(webhook.id, null, "old:2"),
          outboxRow(webhook.id, 3, "c3:a"),
        ]);
        const claim = async (now: number) =>
          (
            await store.claimWebhookDeliveries(webhook.id, { now: at(now), until: at(now + 1), limit: 10 })
          ).map((delivery) => delivery.eventKey);

        const first = await store.claimWebhookDeliveries(webhook.id, { now: at(2), until: at(3), limit: 10 });
        assert.deepEqual(
          first.map((delivery) => [delivery.eventKey, delivery.lockedUntil, delivery.payload]),
          [
            ["c1:a", at(3), JSON.stringify({ eventKey: "c1:a" })],
            ["c2:a", at(3), JSON.stringify({ eventKey: "c2:a" })],
            ["old:1", at(3), JSON.stringify({ eventKey: "old:1" })],
            ["old:2", at(3), JSON.stringify({ eventKey: "old:2" })],
            ["c3:a", at(3), JSON.stringify({ eventKey: "c3:a" })],
          ],
          "each line's first, whole and marked as claimed; c1:b waits for c1:a",
        );
        const [c1a, c2a] = first;
        await store.recordWebhookDeliveryAttempts([
          {
            id: c1a!.id,
            attempt: {
              status: "pending",
              nextAttemptAt: at(100),
              responseStatus: 500,
              error: "no",
              durationMs: 1,
              at: at(2),
            },
          },
          delivered(c2a!.id, at(2)),
        ]);
        assert.deepEqual(await claim(2), [], "c1:b waits behind a retry not yet due; the rest are claimed");
        assert.deepEqual(await claim(4), ["old:1", "old:2", "c3:a"], "claims that lapsed are taken again");
        assert.deepEqual(
          await claim(200),
          ["c1:a", "old:1", "old:2", "c3:a"],
          "the retry once due, its line's next still behind it; the lapsed claims again",
        );
      }));

    it("reads past a long line of held deliveries, and takes no more than its limit", () =>
      withStore(fresh, async (store) => {
        const webhook = await newWebhook(store);
        const firsts = Array.from({ length: 15 }, (_, i) => outboxRow(webhook.id, 100 + i, `held:${i}:a`));
        await store.insertWebhookDeliveries(firsts);
        const taken = await store.claimWebhookDeliveries(webhook.id, {
          now: at(2),
          until: at(50),
          limit: 15,
        });
        assert.equal(taken.length, 15);
        // Fifteen claimed and fifteen behind them: thirty pending rows before anything sendable.
        await store.insertWebhookDeliveries([
          ...Array.from({ length: 15 }, (_, i) => outboxRow(webhook.id, 100 + i, `held:${i}:b`)),
          ...Array.from({ length: 8 }, (_, i) => outboxRow(webhook.id, 200 + i, `free:${i}`)),
        ]);
        const claimed = await store.claimWebhookDeliveries(webhook.id, {
          now: at(3),
          until: at(4),
          limit: 3,
        });
        assert.deepEqual(
          claimed.map((delivery) => delivery.eventKey),
          ["free:0", "free:1", "free:2"],
        );
        const rest = await store.claimWebhookDeliveries(webhook.id, { now: at(3), until: at(4), limit: 10 });
        assert.deepEqual(
          rest.map((delivery) => delivery.eventKey),
          ["free:3", "free:4", "free:5", "free:6", "free:7"],
        );
      }));
  });
}
