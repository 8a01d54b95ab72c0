/**
 * A private Postgres schema for one test, from TEST_DATABASE_URL; undefined when that is unset
 * (the caller registers a skipped test saying so).
 */
import pg from "pg";

export const POSTGRES_SKIP = "skipped: set TEST_DATABASE_URL to run this suite on Postgres";

export interface PostgresSchema {
  /** DATABASE_URL for the server, pointing at the schema. */
  url: string;
  drop(): Promise<void>;
}

export async function postgresSchema(): Promise<PostgresSchema | undefined> {
  const base = process.env.TEST_DATABASE_URL;
  if (base === undefined || base === "") return undefined;
  const schema = `parley_e2e_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema "${schema}"`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: base });
      await cleanup.connect();
      await cleanup.query(`drop schema if exists "${schema}" cascade`);
      await cleanup.end();
    },
  };
}

/** What a test server needs for an engine: nothing for SQLite, a private schema for Postgres. */
export interface EngineDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** undefined: Postgres asked for without TEST_DATABASE_URL (the caller skips, saying so). */
export async function databaseFor(
  engine: "sqlite" | "postgres" = "sqlite",
): Promise<EngineDatabase | undefined> {
  if (engine === "sqlite") return { env: {}, drop: async () => {} };
  const schema = await postgresSchema();
  return schema === undefined ? undefined : { env: { DATABASE_URL: schema.url }, drop: () => schema.drop() };
}
