/**
 * The audit log (protocol §17): who did what and when.
 *
 * - `audit_log`: one row per action. `agent_id` has no foreign key on purpose: the entry outlives
 *   the agent (deleting an agent is itself audited), so `agent_name` keeps who it was.
 *   `details` is a JSON object of small facts, never a secret.
 * - Indexes: newest first by id (the primary key serves it), and by action and by agent for the
 *   owner's filters; `at` for the daily cleanup of entries older than `audit_log_days`.
 *
 * Every step looks first, so a half-run migration on SQLite can run again.
 */
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";
import { columnTypes } from "./columnTypes.js";

export function auditLogSchema(engine: Engine): Migration {
  const { idType, timeType, primaryId } = columnTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("audit_log")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("action", "text", (col) => col.notNull())
        .addColumn("agent_id", idType)
        .addColumn("agent_name", "text")
        .addColumn("api_token_id", idType)
        .addColumn("ip_address", "text")
        .addColumn("target_type", "text")
        .addColumn("target_id", idType)
        .addColumn("site_id", idType)
        .addColumn("details", "text", (col) => col.notNull().defaultTo("{}"))
        .addColumn("at", timeType, (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("audit_log_action_id")
        .ifNotExists()
        .on("audit_log")
        .columns(["action", "id"])
        .execute();
      await db.schema
        .createIndex("audit_log_agent_id_id")
        .ifNotExists()
        .on("audit_log")
        .columns(["agent_id", "id"])
        .execute();
      await db.schema.createIndex("audit_log_at").ifNotExists().on("audit_log").column("at").execute();
    },
  };
}
