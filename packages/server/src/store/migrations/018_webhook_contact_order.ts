/**
 * A webhook's events about no conversation go in order per contact, not all in one line.
 *
 * `contact.identified` without a conversation was ordered with every other event of its webhook
 * about no conversation: one request at a time, each its own claim and record, whatever the
 * contacts. A burst of identified visitors (the bench identifies 1,500) queued behind one another
 * at a round trip to the receiver each, and every claim read the whole line to find the one row it
 * could take (docs/benchmarks.md, seventeenth pass). Different contacts' events do not depend on
 * each other; one contact's still go in order.
 *
 * - `webhook_deliveries.contact_id`: the contact an event about no conversation is about (null
 *   otherwise, and on rows stored before this). A number, not a reference: it orders deliveries,
 *   and an erased contact's deliveries are deleted with it (store/queries/privacy.ts).
 * - `webhook_deliveries_pending_contact`: a pending delivery's earlier ones of the same contact,
 *   one probe (the claim's `not exists`, store/queries/webhooks.ts).
 *
 * Asks before adding the column and `ifNotExists` on the index, so a half-run migration on SQLite
 * can run again.
 */
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";
import { columnTypes } from "./columnTypes.js";
import { hasColumn } from "./hasColumn.js";

export function webhookContactOrder(engine: Engine): Migration {
  const { idType } = columnTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (!(await hasColumn(db, engine, "webhook_deliveries", "contact_id"))) {
        await db.schema.alterTable("webhook_deliveries").addColumn("contact_id", idType).execute();
      }
      await db.schema
        .createIndex("webhook_deliveries_pending_contact")
        .ifNotExists()
        .on("webhook_deliveries")
        .columns(["webhook_id", "contact_id", "id"])
        .where(sql.ref("status"), "=", "pending")
        .where(sql.ref("conversation_id"), "is", null)
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex("webhook_deliveries_pending_contact").ifExists().execute();
      await db.schema.alterTable("webhook_deliveries").dropColumn("contact_id").execute();
    },
  };
}
