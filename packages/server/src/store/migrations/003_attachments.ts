/**
 * Attachments: one row per uploaded file, linked to the message that carries it. Same conventions
 * as 001: ids and timestamps typed per engine, every statement `if not exists` so a half-run
 * migration on SQLite can run again.
 *
 * `message_id` is SET NULL (not CASCADE) when the message goes with its conversation: the row
 * must outlive it until its blobs are deleted, and `attached_at` (never cleared) tells such a
 * detached row from a fresh upload that may still be attached.
 */
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";
import { columnTypes } from "./columnTypes.js";

export function attachmentsSchema(engine: Engine): Migration {
  const { idType, timeType, primaryId } = columnTypes(engine);

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("attachments")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("storage_key", "text", (col) => col.notNull().unique())
        .addColumn("thumbnail_key", "text")
        .addColumn("filename", "text", (col) => col.notNull())
        .addColumn("content_type", "text", (col) => col.notNull())
        .addColumn("byte_size", "integer", (col) => col.notNull())
        .addColumn("width", "integer")
        .addColumn("height", "integer")
        .addColumn("uploaded_by", "text", (col) =>
          col.notNull().check(sql`uploaded_by in ('visitor', 'agent')`),
        )
        .addColumn("visitor_token", "text")
        .addColumn("agent_id", idType, (col) => col.references("agents.id").onDelete("set null"))
        .addColumn("message_id", idType, (col) => col.references("messages.id").onDelete("set null"))
        .addColumn("attached_at", timeType)
        .addColumn("created_at", timeType, (col) => col.notNull())
        .execute();
      // A message's attachments; and, under message_id null, the sweep's uploads by age.
      await db.schema
        .createIndex("attachments_message_id_created_at")
        .ifNotExists()
        .on("attachments")
        .columns(["message_id", "created_at"])
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("attachments").ifExists().execute();
    },
  };
}
