/**
 * Team workflow (protocol §15): a conversation's `state` beside the seed's `status` (kept in step:
 * `closed` exactly when `resolved`), `snoozed_until`, and labels: `labels` (owners define them;
 * `name_key` is the name in lower case, unique) and `conversation_labels` (which conversation
 * carries which; both sides cascade on delete).
 *
 * Indexes: the list filtered by state in its order, the view counts (state, site, assignee), and a
 * label's conversations.
 *
 * Each step looks first, so a half-run migration on SQLite can run again.
 */
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";
import { hasColumn } from "./hasColumn.js";
import { columnTypes } from "./columnTypes.js";

export function statesLabelsSchema(engine: Engine): Migration {
  const { idType, timeType, primaryId } = columnTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (!(await hasColumn(db, engine, "conversations", "state"))) {
        await db.schema
          .alterTable("conversations")
          .addColumn("state", "text", (col) =>
            col
              .notNull()
              .defaultTo("open")
              .check(sql`state in ('open', 'pending', 'snoozed', 'resolved')`),
          )
          .execute();
      }
      if (!(await hasColumn(db, engine, "conversations", "snoozed_until"))) {
        await db.schema.alterTable("conversations").addColumn("snoozed_until", timeType).execute();
      }
      await sql`update conversations set state = 'resolved' where status = 'closed' and state <> 'resolved'`.execute(
        db,
      );
      await db.schema
        .createIndex("conversations_state_updated_at_id")
        .ifNotExists()
        .on("conversations")
        .columns(["state", "updated_at", "id"])
        .execute();
      await db.schema
        .createIndex("conversations_state_site_id_assignee_id")
        .ifNotExists()
        .on("conversations")
        .columns(["state", "site_id", "assignee_id"])
        .execute();

      await db.schema
        .createTable("labels")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("name", "text", (col) => col.notNull())
        .addColumn("name_key", "text", (col) => col.notNull().unique())
        .addColumn("color", "text", (col) => col.notNull())
        .addColumn("created_at", timeType, (col) => col.notNull())
        .execute();
      await db.schema
        .createTable("conversation_labels")
        .ifNotExists()
        .addColumn("conversation_id", idType, (col) =>
          col.notNull().references("conversations.id").onDelete("cascade"),
        )
        .addColumn("label_id", idType, (col) => col.notNull().references("labels.id").onDelete("cascade"))
        .addPrimaryKeyConstraint("conversation_labels_pk", ["conversation_id", "label_id"])
        .execute();
      await db.schema
        .createIndex("conversation_labels_label_id_conversation_id")
        .ifNotExists()
        .on("conversation_labels")
        .columns(["label_id", "conversation_id"])
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("conversation_labels").ifExists().execute();
      await db.schema.dropTable("labels").ifExists().execute();
      await db.schema.dropIndex("conversations_state_site_id_assignee_id").ifExists().execute();
      await db.schema.dropIndex("conversations_state_updated_at_id").ifExists().execute();
      await db.schema.alterTable("conversations").dropColumn("snoozed_until").execute();
      await db.schema.alterTable("conversations").dropColumn("state").execute();
    },
  };
}
