/**
 * The column types that differ between the engines, shared by every migration:
 * - ids: SQLite `integer primary key autoincrement` (AUTOINCREMENT so a deleted row's id is never
 *   handed out again) and Postgres `bigint generated always as identity` (sequences never go back);
 * - timestamps: text on both (ISO 8601 UTC strings sort as text), `collate "C"` on Postgres so
 *   comparisons and indexes are byte order whatever the database's locale is.
 */
import { sql, type ColumnDefinitionBuilder, type RawBuilder } from "kysely";
import type { Engine } from "../schema.js";

export interface ColumnTypes {
  idType: "integer" | "bigint";
  timeType: RawBuilder<unknown>;
  primaryId: (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
}

export function columnTypes(engine: Engine): ColumnTypes {
  return {
    idType: engine === "sqlite" ? "integer" : "bigint",
    timeType: engine === "sqlite" ? sql`text` : sql`text collate "C"`,
    primaryId: (col) =>
      engine === "sqlite" ? col.primaryKey().autoIncrement() : col.primaryKey().generatedAlwaysAsIdentity(),
  };
}
