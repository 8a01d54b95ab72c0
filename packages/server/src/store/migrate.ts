/**
 * Brings the schema to the latest migration. Runs at every boot, so it must be cheap when there
 * is nothing to do and safe when several server nodes start at once: Kysely's Migrator takes a
 * Postgres advisory lock around the whole run (and runs it in one transaction, as Postgres DDL is
 * transactional); on SQLite the single connection serialises callers of this process.
 */
import { sql, type Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import type { StoreLogger } from "./logger.js";
import { migrationsFor } from "./migrations/index.js";
import type { Database, Engine } from "./schema.js";

export async function migrateToLatest(
  db: Kysely<Database>,
  engine: Engine,
  logger?: StoreLogger,
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrationsFor(engine) },
    migrationTableSchema: engine === "postgres" ? await currentSchema(db) : undefined,
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
