/**
 * `webhook_deliveries_pending_order`: a webhook's pending deliveries in id order. The delivery
 * job (webhooks/deliverJob.ts) claims a webhook's next few sendable deliveries in one statement,
 * reading its pending ones oldest first and stopping at the few it takes; 008's pending index is
 * ordered by conversation, so that read sorted every pending delivery of the webhook (tens of
 * thousands after a burst) for each claim.
 *
 * `ifNotExists`, so a half-run migration on SQLite can run again.
 */
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

export function webhookPendingOrder(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex("webhook_deliveries_pending_order")
        .ifNotExists()
        .on("webhook_deliveries")
        .columns(["webhook_id", "id"])
        .where(sql.ref("status"), "=", "pending")
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex("webhook_deliveries_pending_order").ifExists().execute();
    },
  };
}
