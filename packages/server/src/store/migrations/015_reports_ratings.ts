/**
 * Reports and satisfaction ratings (protocol §18).
 *
 * - `conversations.resolved_at`: when the conversation was last resolved (null while it is not),
 *   so resolution times are a column read, not a search of history. Conversations resolved
 *   before this migration take their `updated_at`: the closest time there is.
 * - `conversations.rating_requested_at`: when the widget was last asked to rate it (set on a
 *   resolve of a site with ratings on; null: never asked). A visitor may rate only after it.
 * - `conversation_ratings`: one rating per conversation (a later one, after the conversation was
 *   resolved again, replaces it). `agent_id` is the agent it is credited to (the assignee when it
 *   is given, else the last agent who replied); no foreign key, so reports keep it after the
 *   agent is deleted. `site_id` is copied so reports filter without a join.
 * - Indexes for the reports: conversations by creation and by resolution time, ratings by time.
 *
 * Each step looks first, so a half-run migration on SQLite can run again.
 */
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";
import { columnTypes } from "./columnTypes.js";
import { hasColumn } from "./hasColumn.js";

export function reportsRatingsSchema(engine: Engine): Migration {
  const { idType, timeType } = columnTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (!(await hasColumn(db, engine, "conversations", "resolved_at"))) {
        await db.schema.alterTable("conversations").addColumn("resolved_at", timeType).execute();
        await sql`update conversations set resolved_at = updated_at where state = 'resolved'`.execute(db);
      }
      if (!(await hasColumn(db, engine, "conversations", "rating_requested_at"))) {
        await db.schema.alterTable("conversations").addColumn("rating_requested_at", timeType).execute();
      }
      await db.schema
        .createTable("conversation_ratings")
        .ifNotExists()
        .addColumn("conversation_id", idType, (col) =>
          col.primaryKey().references("conversations.id").onDelete("cascade"),
        )
        .addColumn("site_id", idType, (col) => col.notNull())
        .addColumn("agent_id", idType)
        .addColumn("score", "integer", (col) => col.notNull().check(sql`score between 1 and 5`))
        .addColumn("comment", "text")
        .addColumn("rated_at", timeType, (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("conversation_ratings_rated_at")
        .ifNotExists()
        .on("conversation_ratings")
        .column("rated_at")
        .execute();
      await db.schema
        .createIndex("conversations_created_at")
        .ifNotExists()
        .on("conversations")
        .column("created_at")
        .execute();
      await db.schema
        .createIndex("conversations_resolved_at")
        .ifNotExists()
        .on("conversations")
        .column("resolved_at")
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("conversation_ratings").ifExists().execute();
      await db.schema.dropIndex("conversations_resolved_at").ifExists().execute();
      await db.schema.dropIndex("conversations_created_at").ifExists().execute();
      await db.schema.alterTable("conversations").dropColumn("rating_requested_at").execute();
      await db.schema.alterTable("conversations").dropColumn("resolved_at").execute();
    },
  };
}
