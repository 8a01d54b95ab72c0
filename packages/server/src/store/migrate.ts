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
  const schema = engine === "postgres" ? await postgresBookkeeping(db) : undefined;
  const migrations = migrationsFor(engine);
  if (await upToDate(db, schema, Object.keys(migrations))) return;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: schema?.name,
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
async function upToDate(
  db: Kysely<Database>,
  schema: PostgresBookkeeping | undefined,
  known: string[],
): Promise<boolean> {
  // Asked first, so that a first boot does not count a failed statement in the metrics.
  if (schema === undefined) {
    const exists = sql`select 1 from sqlite_master where type = 'table' and name = ${MIGRATION_TABLE}`;
    if ((await exists.execute(db)).rows.length === 0) return false;
  } else if (!schema.tableExists) return false;
  const table =
    schema === undefined ? sql.table(MIGRATION_TABLE) : sql.table(`${schema.name}.${MIGRATION_TABLE}`);
  const { rows } = await sql<{ name: string }>`select name from ${table}`.execute(db);
  const applied = new Set(rows.map((row) => row.name));
  return applied.size === known.length && known.every((name) => applied.has(name));
}

/** Where Postgres keeps our bookkeeping table, and whether it is there yet. */
interface PostgresBookkeeping {
  name: string;
  tableExists: boolean;
}

/**
 * The schema our tables live in (the first of search_path that exists), and whether the
 * bookkeeping table is in it: one round trip. Kysely's Migrator looks for its bookkeeping table in
 * every schema of the database unless told which one to use, and a `kysely_migration` table of
 * another app in `public` would make it skip creating ours. `to_regclass`, not
 * information_schema.tables: planning that view was most of the statement's time on a new
 * connection (about 6 ms), and a restart waits for it (docs/benchmarks.md, twelfth pass).
 *
 * It is the boot's first statement, and the pool has no connection yet: a second one opens beside
 * it. The boot's reads are one at a time, but a few go two at once (siteAvailability.ts), and a
 * connection opened then, in the middle of the boot, cost a restart about 20 ms on Postgres; two
 * opened together take the time of one.
 */
async function postgresBookkeeping(db: Kysely<Database>): Promise<PostgresBookkeeping> {
  const [{ rows }] = await Promise.all([
    sql<{ schema: string | null; table_exists: boolean }>`select current_schema() as schema,
      case when current_schema() is null then false
        else to_regclass(format('%I.%I', current_schema(), ${MIGRATION_TABLE}::text)) is not null
      end as table_exists`.execute(db),
    db.connection().execute(async () => undefined),
  ]);
  const schema = rows[0]?.schema;
  if (!schema) {
    throw new Error("DATABASE_URL: none of the schemas in the search_path exists; create the schema first");
  }
  return { name: schema, tableExists: rows[0]!.table_exists };
}
