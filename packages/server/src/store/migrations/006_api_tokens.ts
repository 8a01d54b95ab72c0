/**
 * Agents' personal API tokens (REST with `Authorization: Bearer`): only the SHA-256 of each
 * token is kept, so a copy of the database opens nothing. A token goes with its agent.
 */
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";
import { columnTypes } from "./columnTypes.js";

export function apiTokens(engine: Engine): Migration {
  const { idType, timeType, primaryId } = columnTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("api_tokens")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("agent_id", idType, (col) => col.notNull().references("agents.id").onDelete("cascade"))
        .addColumn("name", "text", (col) => col.notNull())
        .addColumn("scope", "text", (col) => col.notNull().check(sql`scope in ('read', 'read_write')`))
        .addColumn("token_hash", "text", (col) => col.notNull().unique())
        // The token's first characters, so a person can tell their tokens apart.
        .addColumn("hint", "text", (col) => col.notNull())
        .addColumn("created_at", timeType, (col) => col.notNull())
        .addColumn("expires_at", timeType)
        .addColumn("last_used_at", timeType)
        .execute();
      await db.schema
        .createIndex("api_tokens_agent_id")
        .ifNotExists()
        .on("api_tokens")
        .column("agent_id")
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("api_tokens").ifExists().execute();
    },
  };
}
