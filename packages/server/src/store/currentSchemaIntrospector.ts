/**
 * What Kysely's Migrator asks about the database (does the schema exist, do its bookkeeping
 * tables exist), answered for Parley's own schema only.
 *
 * Kysely's Postgres introspector scans every schema of the database and calls
 * `has_schema_privilege(name, …)` on each by NAME: when anyone drops a schema while that scan
 * runs (another app on a shared server, a test run), the call fails with "schema … does not
 * exist" and Parley's boot fails with it. Parley keeps all its tables in one schema (the first of
 * the search_path), so it never needs to look anywhere else; information_schema filters by
 * privilege through OIDs, which a concurrent drop cannot make fail.
 */
import {
  PostgresDialect,
  sql,
  type DatabaseIntrospector,
  type Kysely,
  type SchemaMetadata,
  type TableMetadata,
} from "kysely";

interface ColumnRow {
  table_name: string;
  table_type: string;
  column_name: string | null;
  data_type: string | null;
  udt_schema: string | null;
  is_nullable: string | null;
  column_default: string | null;
  is_identity: string | null;
  schema: string;
}

export class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string | null }>`select current_schema() as name`.execute(this.db);
    return rows.flatMap((row) => (row.name === null ? [] : [{ name: row.name }]));
  }

  /** Every table and view of the current schema, Kysely's own bookkeeping tables included. */
  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<ColumnRow>`
      select t.table_name, t.table_type, c.column_name, c.data_type, c.udt_schema, c.is_nullable,
             c.column_default, c.is_identity, t.table_schema as schema
      from information_schema.tables t
      left join information_schema.columns c
        on c.table_schema = t.table_schema and c.table_name = t.table_name
      where t.table_schema = current_schema()
      order by t.table_name, c.ordinal_position`.execute(this.db);
    const tables = new Map<string, TableMetadata>();
    for (const row of rows) {
      let table = tables.get(row.table_name);
      if (table === undefined) {
        table = {
          name: row.table_name,
          schema: row.schema,
          isView: row.table_type === "VIEW",
          isForeign: row.table_type === "FOREIGN",
          columns: [],
        };
        tables.set(row.table_name, table);
      }
      if (row.column_name === null) continue;
      table.columns.push({
        name: row.column_name,
        dataType: row.data_type ?? "",
        ...(row.udt_schema === null ? {} : { dataTypeSchema: row.udt_schema }),
        isNullable: row.is_nullable === "YES",
        hasDefaultValue: row.column_default !== null,
        isAutoIncrementing:
          row.is_identity === "YES" || (row.column_default?.startsWith("nextval(") ?? false),
      });
    }
    return [...tables.values()];
  }
}

/** Kysely's Postgres dialect, introspecting only the current schema (see above). */
export class CurrentSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}
