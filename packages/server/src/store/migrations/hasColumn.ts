/**
 * Whether `table` already has `column`, on either engine: migrations that add columns ask first,
 * so a database a newer node already migrated (during a rolling deploy) or half-migrated by an
 * interrupted run is not refused. Shared by the migrations like columnTypes.ts; it must keep its
 * meaning, since released migrations call it.
 */
import { sql, type Kysely } from "kysely";
import type { Engine } from "../schema.js";

export async function hasColumn(
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
