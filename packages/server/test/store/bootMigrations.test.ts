/**
 * The migration check at every boot (store/migrate.ts): with every migration applied it reads
 * the bookkeeping table and nothing else; a database that lists a migration this release does
 * not know still goes to Kysely's Migrator, which refuses it. On SQLite and on Postgres.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import pg from "pg";
import { openStore, type OpenStoreOptions } from "../../src/store/openStore.js";
import { openSqliteInStorage } from "../../src/store/sqliteDatabase.js";
import { POSTGRES_SKIP, postgresSchema } from "../support/postgres.js";

/** Boots a store (open, migrate, close), giving the statements its migration check ran. */
async function boot(options: OpenStoreOptions): Promise<string[]> {
  const statements: string[] = [];
  const store = await openStore({ ...options, onQuery: (text) => statements.push(text) });
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
  return statements;
}

const FUTURE = `insert into kysely_migration (name, timestamp) values ('999_from_the_future', '2026-01-01T00:00:00.000Z')`;

/** Boots twice, then once more with a newer release's migration recorded by `recordFuture`. */
async function checkBoots(options: OpenStoreOptions, recordFuture: () => Promise<void>): Promise<void> {
  const first = await boot(options);
  assert.ok(
    first.some((text) => /create table/i.test(text)),
    "the first boot creates the schema through the Migrator",
  );

  const again = await boot(options);
  assert.ok(
    again.length <= 3,
    `a boot with nothing to migrate ran ${again.length} statements:\n${again.join("\n")}`,
  );
  for (const text of again) assert.match(text, /^select /i, `only reads: ${text}`);

  // Not "up to date", so the Migrator decides, and it refuses migrations it does not know.
  await recordFuture();
  await assert.rejects(boot(options), /999_from_the_future/);
}

describe("the migration check at boot", () => {
  const root = mkdtempSync(join(tmpdir(), "parley-boot-migrations-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  it("on SQLite: reads the bookkeeping only when every migration is applied", async () => {
    const storageDir = join(root, "sqlite");
    await checkBoots({ storageDir }, async () => {
      const database = openSqliteInStorage(storageDir);
      database.prepare(FUTURE).run();
      database.close();
    });
  });

  describe("on Postgres", async () => {
    const schema = process.env.TEST_DATABASE_URL ? await postgresSchema() : undefined;
    if (schema === undefined) {
      it("on Postgres", { skip: POSTGRES_SKIP }, () => {});
      return;
    }
    after(() => schema.drop());
    it("reads the bookkeeping only when every migration is applied", async () => {
      await checkBoots({ databaseUrl: schema.url, storageDir: root }, async () => {
        const client = new pg.Client({ connectionString: schema.url });
        await client.connect();
        await client.query(FUTURE);
        await client.end();
      });
    });
  });
});
