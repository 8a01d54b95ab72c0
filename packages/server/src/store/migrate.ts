/**
 * Brings the schema to the latest migration. Runs at every boot, so it must be cheap when there
 * is nothing to do and safe when several server nodes start at once: Kysely's Migrator takes a
 * Postgres advisory lock around the whole run (and runs it in one transaction, as Postgres DDL is
 * transactional); on SQLite the single connection serialises callers of this process.
 */
import { sql, type Kysely } from "kysely";
import { DEFAULT_MIGRATION_TABLE as MIGRATION_TABLE, Migrator } from "kysely/migration";
import type { StoreLogger } from "./logger.js";
import { migrationsFor } from "./migrations/index.js";
import type { Database, Engine } from "./schema.js";

export async function migrateToLatest(
  db: Kysely<Database>,
  engine: Engine,
  logger?: StoreLogger,
): Promise<void> {
  const schema = engine === "postgres" ? await currentSchema(db) : undefined;
  const migrations = migrationsFor(engine);
  if (await upToDate(db, schema, Object.keys(migrations))) return;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: schema,
  });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === "Success")
      logger?.info({ migration: result.migrationName }, "store: migration applied");
  }
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === "Error")?.migrationName;
    const reason = error instanceof Error ? error.message : JSON.stringify(error);
    throw new Error(`store: migration ${failed ?? "setup"} failed: ${reason}`, { cause: error });
  }
}

/**
 * Whether the bookkeeping table lists exactly the migrations we know: the case of almost every
 * boot, answered in two reads. The Migrator would first look the table up among every table's
 * metadata (on SQLite one pragma per table), a tenth of a restart. Anything else (a first boot,
 * a migration to run, one we do not know) goes to the Migrator, which handles and reports it.
 */
async function upToDate(db: Kysely<Database>, schema: string | undefined, known: string[]): Promise<boolean> {
  // Asked first, so that a first boot does not count a failed statement in the metrics.
  const exists =
    schema === undefined
      ? sql`select 1 from sqlite_master where type = 'table' and name = ${MIGRATION_TABLE}`
      : sql`select 1 from information_schema.tables where table_schema = ${schema} and table_name = ${MIGRATION_TABLE}`;
  if ((await exists.execute(db)).rows.length === 0) return false;
  const table = schema === undefined ? sql.table(MIGRATION_TABLE) : sql.table(`${schema}.${MIGRATION_TABLE}`);
  const { rows } = await sql<{ name: string }>`select name from ${table}`.execute(db);
  const applied = new Set(rows.map((row) => row.name));
  return applied.size === known.length && known.every((name) => applied.has(name));
}

/**
 * The schema our tables live in (the first of search_path that exists). Kysely's Migrator looks
 * for its bookkeeping table in every schema of the database unless told which one to use, and a
 * `kysely_migration` table of another app in `public` would make it skip creating ours.
 */
async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) {
    throw new Error("DATABASE_URL: none of the schemas in the search_path exists; create the schema first");
  }
  return schema;
}
