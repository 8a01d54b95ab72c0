/**
 * Email (protocol §16), the sending half:
 *
 * - `contacts.locale` (the widget's language, for their emails) and `contacts.email_unsubscribed_at`
 *   (one-click or the link: no more reply emails to them).
 * - `agents.email`, `email_alerts` (`off`|`within_hours`|`always`), `email_alert_after_minutes`
 *   and `email_alerted_at` (the last alert: the next lists what came since).
 * - `email_outbox`: every email Parley sends, kept as written: the `email.deliver` job sends a
 *   row once (`queued` → `sent`, or `failed` when the retries give up). Its `message_id` is unique,
 *   so an answer's `In-Reply-To` finds the conversation it belongs to.
 * - `email_threads`: per conversation, its first email's Message-ID (later ones point at it) and
 *   the last agent message a reply email covered or the visitor saw.
 *
 * Every step looks first, so a half-run migration on SQLite can run again.
 */
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";
import { hasColumn } from "./hasColumn.js";
import { columnTypes } from "./columnTypes.js";

export function emailSchema(engine: Engine): Migration {
  const { idType, timeType, primaryId } = columnTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (!(await hasColumn(db, engine, "contacts", "locale"))) {
        await db.schema.alterTable("contacts").addColumn("locale", "text").execute();
      }
      if (!(await hasColumn(db, engine, "contacts", "email_unsubscribed_at"))) {
        await db.schema.alterTable("contacts").addColumn("email_unsubscribed_at", timeType).execute();
      }
      if (!(await hasColumn(db, engine, "agents", "email"))) {
        await db.schema.alterTable("agents").addColumn("email", "text").execute();
      }
      if (!(await hasColumn(db, engine, "agents", "email_alerts"))) {
        await db.schema
          .alterTable("agents")
          .addColumn("email_alerts", "text", (col) =>
            col
              .notNull()
              .defaultTo("within_hours")
              .check(sql`email_alerts in ('off', 'within_hours', 'always')`),
          )
          .execute();
      }
      if (!(await hasColumn(db, engine, "agents", "email_alert_after_minutes"))) {
        await db.schema
          .alterTable("agents")
          .addColumn("email_alert_after_minutes", "integer", (col) => col.notNull().defaultTo(10))
          .execute();
      }
      if (!(await hasColumn(db, engine, "agents", "email_alerted_at"))) {
        await db.schema.alterTable("agents").addColumn("email_alerted_at", timeType).execute();
      }

      await db.schema
        .createTable("email_outbox")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("kind", "text", (col) => col.notNull())
        .addColumn("site_id", idType, (col) => col.references("sites.id").onDelete("set null"))
        .addColumn("conversation_id", idType, (col) => col.references("conversations.id").onDelete("cascade"))
        .addColumn("to_address", "text", (col) => col.notNull())
        .addColumn("message_id", "text", (col) => col.notNull().unique())
        .addColumn("subject", "text", (col) => col.notNull())
        .addColumn("text_body", "text", (col) => col.notNull())
        .addColumn("html_body", "text", (col) => col.notNull())
        .addColumn("reply_to", "text")
        .addColumn("in_reply_to", "text")
        .addColumn("unsubscribe_url", "text")
        .addColumn("locale", "text", (col) => col.notNull())
        .addColumn("status", "text", (col) =>
          col.notNull().check(sql`status in ('queued', 'sent', 'failed')`),
        )
        .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("last_error", "text")
        .addColumn("created_at", timeType, (col) => col.notNull())
        .addColumn("sent_at", timeType)
        .execute();
      // The owner's status counts queued rows and recent failures; the conversation's go with it.
      await db.schema
        .createIndex("email_outbox_status")
        .ifNotExists()
        .on("email_outbox")
        .columns(["status", "created_at"])
        .execute();
      await db.schema
        .createIndex("email_outbox_conversation_id")
        .ifNotExists()
        .on("email_outbox")
        .column("conversation_id")
        .execute();

      await db.schema
        .createTable("email_threads")
        .ifNotExists()
        .addColumn("conversation_id", idType, (col) =>
          col.primaryKey().references("conversations.id").onDelete("cascade"),
        )
        .addColumn("root_message_id", "text", (col) => col.notNull())
        .addColumn("emailed_through_message_id", idType, (col) => col.notNull().defaultTo(0))
        .addColumn("updated_at", timeType, (col) => col.notNull())
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("email_threads").ifExists().execute();
      await db.schema.dropTable("email_outbox").ifExists().execute();
      for (const column of ["email_alerted_at", "email_alert_after_minutes", "email_alerts", "email"]) {
        await db.schema.alterTable("agents").dropColumn(column).execute();
      }
      for (const column of ["email_unsubscribed_at", "locale"]) {
        await db.schema.alterTable("contacts").dropColumn(column).execute();
      }
    },
  };
}
