/**
 * A store on each engine, for suites that run their cases on both: SQLite in a temporary folder,
 * and Postgres in a private schema when TEST_DATABASE_URL is set (`open` gives undefined without
 * it; the suite skips, saying so with POSTGRES_SKIP).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/store/openStore.js";
import type { Store } from "../../src/store/store.js";
import { postgresSchema } from "./postgres.js";

export interface OpenedStore {
  store: Store;
  /** Removes the folder or drops the schema (after the store is closed). */
  drop(): Promise<void>;
}

export const STORE_ENGINES: Array<{ name: string; open(): Promise<OpenedStore | undefined> }> = [
  {
    name: "SQLite",
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), "parley-store-"));
      const store = await openStore({ storageDir: dir });
      return { store, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: "Postgres",
    open: async () => {
      const schema = await postgresSchema();
      if (schema === undefined) return undefined;
      const store = await openStore({ databaseUrl: schema.url, storageDir: tmpdir() });
      return { store, drop: () => schema.drop() };
    },
  },
];
