/**
 * Answers by email (protocol §16), the reading half:
 *
 * - `messages.via`: `email` on a visitor's message that came as an answer by email; null else.
 * - `email_inbound`: every mail the reader looked at, by its Message-ID, recorded before it is
 *   acted on, so a mail the mailbox shows again (not marked seen after a crash, copied back) is
 *   taken once; `outcome` taken or ignored, with why. Kept when its conversation goes (SET NULL):
 *   the Message-ID alone still keeps a re-shown mail from being taken again.
 * - `email_mailbox`: one row (id 1), the reader's last fetch and its error, for the owner's status.
 *
 * Every step looks first, so a half-run migration on SQLite can run again.
 */
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";
import { hasColumn } from "./hasColumn.js";
import { columnTypes } from "./columnTypes.js";

export function emailInSchema(engine: Engine): Migration {
  const { idType, timeType } = columnTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (!(await hasColumn(db, engine, "messages", "via"))) {
        await db.schema
          .alterTable("messages")
          .addColumn("via", "text", (col) => col.check(sql`via in ('email')`))
          .execute();
      }
      await db.schema
        .createTable("email_inbound")
        .ifNotExists()
        .addColumn("message_id", "text", (col) => col.primaryKey())
        .addColumn("conversation_id", idType, (col) =>
          col.references("conversations.id").onDelete("set null"),
        )
        .addColumn("outcome", "text", (col) => col.notNull().check(sql`outcome in ('taken', 'ignored')`))
        .addColumn("reason", "text")
        .addColumn("received_at", timeType, (col) => col.notNull())
        .execute();
      await db.schema
        .createTable("email_mailbox")
        .ifNotExists()
        .addColumn("id", "integer", (col) => col.primaryKey().check(sql`id = 1`))
        .addColumn("last_fetch_at", timeType)
        .addColumn("last_fetch_error", "text")
        .execute();
    },
  };
}
