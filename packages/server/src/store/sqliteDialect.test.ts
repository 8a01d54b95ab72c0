/**
 * A transaction that SQLite ends by itself on an error (here SQLITE_FULL, from a page limit
 * standing in for a full disk) reports that error, not Kysely's failed rollback.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import { Kysely, sql, type SqliteDialect } from "kysely";
import { SqliteDialectKeepingErrors } from "./sqliteDialect.js";

async function fillInTransaction(dialectOf: (db: Database.Database) => SqliteDialect): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), "parley-dialect-"));
  const db = new Database(join(dir, "full.sqlite3"));
  db.pragma("journal_mode = WAL");
  db.exec("create table blobs (body blob)");
  const kysely = new Kysely<{ blobs: { body: Buffer } }>({ dialect: dialectOf(db) });
  const pages = (db.pragma("page_count", { simple: true }) as number) + 2;
  db.pragma(`max_page_count = ${pages}`);
  try {
    await kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < 50; i++)
        await sql`insert into blobs (body) values (${Buffer.alloc(8192)})`.execute(trx);
    });
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await kysely.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the SQLite dialect", () => {
  it("reports SQLITE_FULL from a transaction SQLite rolled back itself", async () => {
    const error = await fillInTransaction((db) => new SqliteDialectKeepingErrors({ database: db }, db));
    assert.equal((error as { code?: string }).code, "SQLITE_FULL");
  });
});
