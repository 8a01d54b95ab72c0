/**
 * Team workflow, the agents' half (protocol §15):
 *
 * - `notes`: private notes, their own table and ids, never a message (no path a visitor reads
 *   touches this table). They go with their conversation (ON DELETE CASCADE); their author may
 *   go (SET NULL, the note keeps `agent_name`). `mention_ids` is a JSON array of agent ids.
 *   `(conversation_id, client_id)` is unique (nulls apart), so a retried `add_note` finds the stored note.
 * - `canned_replies`: saved answers, `personal` (their `agent_id`'s, gone with the agent) or
 *   `shared` (owners', for `site_id` or, null, every site; gone with the site). Shortcut
 *   uniqueness across scopes is checked by chat/cannedReplies.ts; the indexes keep the simple
 *   cases (one agent's personal ones; shared ones of one site) unique under concurrent writes.
 * - `agents.chosen_availability` (default `online`) and `agents.last_auto_assigned_at`, the
 *   round-robin's order (null: never, first in line).
 *
 * Every step looks first, so a half-run migration on SQLite can run again.
 */
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";
import { hasColumn } from "./hasColumn.js";
import { columnTypes } from "./columnTypes.js";

export function notesCannedAvailabilitySchema(engine: Engine): Migration {
  const { idType, timeType, primaryId } = columnTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("notes")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("conversation_id", idType, (col) =>
          col.notNull().references("conversations.id").onDelete("cascade"),
        )
        .addColumn("agent_id", idType, (col) => col.references("agents.id").onDelete("set null"))
        .addColumn("agent_name", "text", (col) => col.notNull())
        .addColumn("content", "text", (col) => col.notNull())
        .addColumn("mention_ids", "text", (col) => col.notNull())
        .addColumn("client_id", "text")
        .addColumn("created_at", timeType, (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("notes_conversation_id")
        .ifNotExists()
        .on("notes")
        .columns(["conversation_id", "id"])
        .execute();
      await db.schema
        .createIndex("notes_client_id")
        .ifNotExists()
        .unique()
        .on("notes")
        .columns(["conversation_id", "client_id"])
        .execute();

      await db.schema
        .createTable("canned_replies")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("scope", "text", (col) => col.notNull().check(sql`scope in ('personal', 'shared')`))
        .addColumn("agent_id", idType, (col) => col.references("agents.id").onDelete("cascade"))
        .addColumn("site_id", idType, (col) => col.references("sites.id").onDelete("cascade"))
        .addColumn("shortcut", "text", (col) => col.notNull())
        .addColumn("content", "text", (col) => col.notNull())
        .addColumn("created_at", timeType, (col) => col.notNull())
        .addColumn("updated_at", timeType, (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("canned_replies_agent_id")
        .ifNotExists()
        .on("canned_replies")
        .columns(["agent_id", "shortcut"])
        .execute();

      if (!(await hasColumn(db, engine, "agents", "chosen_availability"))) {
        await db.schema
          .alterTable("agents")
          .addColumn("chosen_availability", "text", (col) =>
            col
              .notNull()
              .defaultTo("online")
              .check(sql`chosen_availability in ('online', 'away', 'offline')`),
          )
          .execute();
      }
      if (!(await hasColumn(db, engine, "agents", "last_auto_assigned_at"))) {
        await db.schema.alterTable("agents").addColumn("last_auto_assigned_at", timeType).execute();
      }
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("agents").dropColumn("last_auto_assigned_at").execute();
      await db.schema.alterTable("agents").dropColumn("chosen_availability").execute();
      await db.schema.dropTable("canned_replies").ifExists().execute();
      await db.schema.dropTable("notes").ifExists().execute();
    },
  };
}
