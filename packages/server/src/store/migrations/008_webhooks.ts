/**
 * Webhooks (protocol §13): an owner's endpoints per site, and the deliveries of events to them,
 * which are both the outbox the delivery job works through and the log owners read.
 *
 * - `webhooks`: `events` is a JSON array of event types (read and written whole). The secret is
 *   kept as is: Parley must sign with it, so it cannot be hashed (an owner may read it again).
 * - `webhook_deliveries`: one row per event and endpoint. `event_key` makes producing an event
 *   twice (a retried send, the store tail publishing again) store it once per endpoint;
 *   `conversation_id` orders a conversation's events (the oldest pending one goes first) and is
 *   not a reference: the log outlives a deleted conversation. `locked_until` is the claim of the
 *   job sending it, so two workers never send one conversation's events at once.
 *
 * Every statement is `if not exists`, so a half-run migration on SQLite can run again.
 */
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";
import { columnTypes } from "./columnTypes.js";

export function webhooksSchema(engine: Engine): Migration {
  const { idType, timeType, primaryId } = columnTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("webhooks")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("site_id", idType, (col) => col.notNull().references("sites.id").onDelete("cascade"))
        .addColumn("url", "text", (col) => col.notNull())
        .addColumn("events", "text", (col) => col.notNull())
        .addColumn("format", "text", (col) => col.notNull().check(sql`format in ('parley', 'slack')`))
        .addColumn("secret", "text", (col) => col.notNull())
        .addColumn("enabled", "integer", (col) => col.notNull().defaultTo(1))
        .addColumn("disabled_at", timeType)
        .addColumn("disabled_reason", "text")
        .addColumn("failing_since", timeType)
        .addColumn("created_at", timeType, (col) => col.notNull())
        .addColumn("updated_at", timeType, (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("webhooks_site_id")
        .ifNotExists()
        .on("webhooks")
        .column("site_id")
        .execute();

      await db.schema
        .createTable("webhook_deliveries")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("webhook_id", idType, (col) => col.notNull().references("webhooks.id").onDelete("cascade"))
        .addColumn("event_id", "text", (col) => col.notNull())
        .addColumn("event_key", "text", (col) => col.notNull())
        .addColumn("event_type", "text", (col) => col.notNull())
        .addColumn("conversation_id", idType)
        .addColumn("payload", "text", (col) => col.notNull())
        .addColumn("status", "text", (col) =>
          col.notNull().check(sql`status in ('pending', 'delivered', 'failed')`),
        )
        .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("next_attempt_at", timeType)
        .addColumn("locked_until", timeType)
        .addColumn("response_status", "integer")
        .addColumn("last_error", "text")
        .addColumn("duration_ms", "integer")
        .addColumn("created_at", timeType, (col) => col.notNull())
        .addColumn("updated_at", timeType, (col) => col.notNull())
        .addColumn("delivered_at", timeType)
        .execute();
      await db.schema
        .createIndex("webhook_deliveries_event_key")
        .ifNotExists()
        .unique()
        .on("webhook_deliveries")
        .columns(["webhook_id", "event_key"])
        .execute();
      // The log, newest first, and the next pending event of one conversation.
      await db.schema
        .createIndex("webhook_deliveries_webhook_id")
        .ifNotExists()
        .on("webhook_deliveries")
        .columns(["webhook_id", "id"])
        .execute();
      await db.schema
        .createIndex("webhook_deliveries_pending")
        .ifNotExists()
        .on("webhook_deliveries")
        .columns(["webhook_id", "conversation_id", "id"])
        .where(sql.ref("status"), "=", "pending")
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ["webhook_deliveries", "webhooks"]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
