/**
 * The webhook outbox's batch (webhooks/producer.ts): many deliveries and the jobs that send them
 * in one transaction, so a batch of chat's events costs one commit instead of two per delivery.
 * Each statement is built once (prepared.ts) and run once per row, so the rows get their ids in
 * the order given (a conversation's events are sent in id order) and the SQL keeps one shape
 * whatever the batch's size.
 */
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { NewWebhookDelivery, WebhookStore } from "../webhookStore.js";
import { dedupedJobInserter } from "./jobs.js";
import { prepared } from "./prepared.js";
import { insertDelivery } from "./webhooks.js";

export function webhookOutboxQueries(db: Kysely<Database>): Pick<WebhookStore, "insertWebhookDeliveries"> {
  const insertRow = prepared<NewWebhookDelivery>()((p) => insertDelivery(db, p).returning("id"));
  const insertJob = dedupedJobInserter(db);
  return {
    insertWebhookDeliveries(rows) {
      if (rows.length === 0) return Promise.resolve({ inserted: [], jobsAdded: 0 });
      return db.transaction().execute(async (trx) => {
        const inserted: boolean[] = [];
        // A pair's job is enqueued once per batch: after the first, a pending one has the key.
        const woken = new Set<string>();
        let jobsAdded = 0;
        for (const { delivery, wake } of rows) {
          const stored = (await insertRow(trx, delivery)).length > 0;
          inserted.push(stored);
          if (!stored || woken.has(wake.dedupeKey)) continue;
          woken.add(wake.dedupeKey);
          jobsAdded += (await insertJob(trx, wake)).length;
        }
        return { inserted, jobsAdded };
      });
    },
  };
}
