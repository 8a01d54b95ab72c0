/**
 * A transaction that SQLite ends by itself on an error (here SQLITE_FULL, from a page limit
 * standing in for a full disk) reports that error, not Kysely's failed rollback. Queries waiting
 * for the one connection cost the same each however many wait, and run in the order they came.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promiseHooks } from "node:v8";
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

/** Promises made while `count` queries wait for the connection at once, and the order they ran in. */
async function queriesAtOnce(count: number): Promise<{ promises: number; order: number[] }> {
  const db = new Database(":memory:");
  db.exec("create table numbers (n integer)");
  const kysely = new Kysely<{ numbers: { n: number } }>({
    dialect: new SqliteDialectKeepingErrors({ database: db }, db),
  });
  await sql`select 1`.execute(kysely); // the driver's first use sets it up
  const order: number[] = [];
  let promises = 0;
  const stop = promiseHooks.onInit(() => promises++) as () => void;
  try {
    await Promise.all(
      Array.from({ length: count }, (_, n) =>
        kysely
          .insertInto("numbers")
          .values({ n })
          .execute()
          .then(() => order.push(n)),
      ),
    );
  } finally {
    stop();
    await kysely.destroy();
  }
  return { promises, order };
}

describe("queries waiting for the SQLite connection", () => {
  it("cost the same each however many wait, and run in the order they came", async () => {
    const few = await queriesAtOnce(500);
    const many = await queriesAtOnce(2000);
    // Behind Kysely's own lock each release woke every waiter: 4 times the queries made about
    // 16 times the promises (2 million here). In line, 4 times as many.
    assert.ok(
      many.promises < 5 * few.promises,
      `${few.promises} promises for 500 queries, ${many.promises} for 2,000`,
    );
    assert.deepEqual(
      many.order,
      Array.from({ length: 2000 }, (_, n) => n),
    );
  });
});
