/**
 * The durable job queue and the push throttle (when each agent was last pushed about each
 * conversation). Same conventions as 001: ids and timestamps typed per engine, every statement `if not exists`
 * so a half-run migration on SQLite can run again.
 */
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";
import { columnTypes } from "./columnTypes.js";

export function jobsAndPush(engine: Engine): Migration {
  const { idType, timeType, primaryId } = columnTypes(engine);

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("jobs")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("kind", "text", (col) => col.notNull())
        .addColumn("payload", "text", (col) => col.notNull())
        .addColumn("state", "text", (col) => col.notNull().check(sql`state in ('pending', 'running')`))
        .addColumn("dedupe_key", "text")
        .addColumn("run_at", timeType, (col) => col.notNull())
        .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("lease_token", "text")
        .addColumn("lease_until", timeType)
        .addColumn("last_error", "text")
        .addColumn("created_at", timeType, (col) => col.notNull())
        .execute();
      // The claim: the next due pending job, and running jobs whose lease lapsed.
      await db.schema
        .createIndex("jobs_state_run_at")
        .ifNotExists()
        .on("jobs")
        .columns(["state", "run_at"])
        .execute();
      await db.schema
        .createIndex("jobs_dedupe_key")
        .ifNotExists()
        .on("jobs")
        .column("dedupe_key")
        .where(sql.ref("dedupe_key"), "is not", null)
        .execute();

      await db.schema
        .createTable("push_throttles")
        .ifNotExists()
        .addColumn("agent_id", idType, (col) => col.notNull().references("agents.id").onDelete("cascade"))
        .addColumn("conversation_id", idType, (col) =>
          col.notNull().references("conversations.id").onDelete("cascade"),
        )
        .addColumn("last_sent_at", timeType, (col) => col.notNull())
        .addColumn("last_message_id", idType, (col) => col.notNull())
        .addPrimaryKeyConstraint("push_throttles_pkey", ["agent_id", "conversation_id"])
        .execute();
      // Deleting a conversation cascades here; without an index that is a scan per delete.
      await db.schema
        .createIndex("push_throttles_conversation_id")
        .ifNotExists()
        .on("push_throttles")
        .column("conversation_id")
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ["push_throttles", "jobs"]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
