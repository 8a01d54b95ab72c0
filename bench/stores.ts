/**
 * A fresh, empty store for each server under test: a temporary folder for SQLite, or a new
 * Postgres schema (selected through the URL's `options=-c search_path=…`) dropped afterwards.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export type Backend = "sqlite" | "postgres";

export interface FreshStore {
  backend: Backend;
  /** STORAGE_DIR, and DATABASE_URL for Postgres. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

export async function freshStore(
  backend: Backend,
  databaseUrl: string | undefined,
  label: string,
): Promise<FreshStore> {
  const storageDir = mkdtempSync(join(tmpdir(), `parley-bench-${label}-`));
  const removeDir = () => rmSync(storageDir, { recursive: true, force: true });
  if (backend === "sqlite") {
    return { backend, env: { STORAGE_DIR: storageDir }, dispose: async () => removeDir() };
  }
  if (databaseUrl === undefined) throw new Error("Postgres needs --database-url");
  const schema = `parley_bench_${label}_${process.pid}_${Date.now().toString(36)}`.replace(
    /[^a-z0-9_]/g,
    "_",
  );
  await withClient(databaseUrl, (client) => client.query(`create schema "${schema}"`));
  const url = new URL(databaseUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    backend,
    env: { STORAGE_DIR: storageDir, DATABASE_URL: url.toString() },
    dispose: async () => {
      removeDir();
      await withClient(databaseUrl, (client) => client.query(`drop schema if exists "${schema}" cascade`));
    },
  };
}

async function withClient<T>(databaseUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
