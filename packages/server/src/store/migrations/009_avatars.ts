/**
 * Agents' photos (protocol §14): `agents.avatar_file`, the name of the agent's avatar in the
 * blob store (`avatars/<name>`) and in its public URL (`/avatars/<name>`), or null for none. The
 * name carries the picture's hash, so each new picture has a new URL (served as immutable).
 *
 * The step looks first, so a half-run migration on SQLite can run again.
 */
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";

export function avatarsSchema(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (!(await hasColumn(db, engine, "agents", "avatar_file"))) {
        await db.schema.alterTable("agents").addColumn("avatar_file", "text").execute();
      }
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("agents").dropColumn("avatar_file").execute();
    },
  };
}

/** Copied from 007 (a migration never changes once released, nor do the helpers it uses). */
async function hasColumn(
  db: Kysely<unknown>,
  engine: Engine,
  table: string,
  column: string,
): Promise<boolean> {
  if (engine === "sqlite") {
    const { rows } = await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db);
    return rows.some((row) => row.name === column);
  }
  const { rows } = await sql<{ n: number | string }>`
    select count(*) as n from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} and column_name = ${column}`.execute(db);
  return Number(rows[0]?.n ?? 0) > 0;
}
