/**
 * A query on `db` runs where it is asked when SQLite's connection is free, and keeps its place in
 * line when it is not: never inside someone else's transaction, never ahead of a caller already
 * on its way to the connection. Errors and results look as they do through Kysely's driver.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import { Kysely, sql, type Generated } from "kysely";
import { SqliteDialectKeepingErrors } from "./sqliteDialect.js";
import { runQueriesAtOnce, statementRunner } from "./sqliteQueriesAtOnce.js";
import { cachingStatements } from "./statementCache.js";

interface Schema {
  notes: { id: Generated<number>; body: string };
}

function open(hooks: { onQuery?: (sql: string) => void; onQueryError?: () => void } = {}) {
  const database = new Database(":memory:");
  database.exec("create table notes (id integer primary key, body text not null)");
  const statements = cachingStatements(database);
  const dialect = new SqliteDialectKeepingErrors({ database: statements }, database);
  const db = new Kysely<Schema>({ dialect });
  runQueriesAtOnce(db, dialect.lock, statementRunner({ database, statements, ...hooks }));
  const count = () => (database.prepare("select count(*) as n from notes").get() as { n: number }).n;
  return { db, database, count };
}

describe("SQLite queries at once", () => {
  it("run before their promise is awaited when the connection is free, with the driver's results", async () => {
    const { db, count } = open();
    const inserting = db.insertInto("notes").values({ body: "first" }).executeTakeFirst();
    assert.equal(count(), 1, "the row was not written when the insert was asked");
    const inserted = await inserting;
    assert.equal(inserted.insertId, 1n);
    assert.equal(inserted.numInsertedOrUpdatedRows, 1n);
    const updated = await db
      .updateTable("notes")
      .set({ body: "second" })
      .where("id", "=", 1)
      .executeTakeFirst();
    assert.equal(updated.numUpdatedRows, 1n);
    assert.deepEqual(await db.selectFrom("notes").selectAll().execute(), [{ id: 1, body: "second" }]);
    await db.destroy();
  });

  // Through `db` itself, and through an executor of Kysely's own (a plugin's: migrations use one).
  for (const through of ["db", "db.withSchema"] as const) {
    it(`wait for a transaction holding the connection, and are not part of it (begun on ${through})`, async () => {
      const { db, count } = open();
      const holder = through === "db" ? db : db.withSchema("main");
      let outside: Promise<unknown> | undefined;
      await assert.rejects(
        holder.transaction().execute(async (trx) => {
          await trx.insertInto("notes").values({ body: "rolled back" }).execute();
          outside = db.insertInto("notes").values({ body: "kept" }).execute();
          await new Promise((resolve) => setTimeout(resolve, 20));
          assert.equal(count(), 1, "the outside insert ran inside the transaction");
          throw new Error("roll back");
        }),
        /roll back/,
      );
      await outside;
      assert.deepEqual(await db.selectFrom("notes").select("body").execute(), [{ body: "kept" }]);
      await db.destroy();
    });
  }

  it("go after a caller that asked for the connection first and has not got it yet", async () => {
    const { db } = open();
    const first = db
      .connection()
      .execute((conn) => conn.insertInto("notes").values({ body: "first" }).execute());
    const seen = await db.selectFrom("notes").select("body").execute();
    await first;
    assert.deepEqual(seen, [{ body: "first" }]);
    await db.destroy();
  });

  it("reject with SQLite's error, never throw where asked, and tell the statement hooks", async () => {
    const told: string[] = [];
    let errors = 0;
    const { db } = open({ onQuery: (text) => told.push(text), onQueryError: () => errors++ });
    let asked: Promise<unknown> | undefined;
    assert.doesNotThrow(() => {
      asked = sql`insert into notes (body) values (null)`.execute(db);
    });
    await assert.rejects(asked!, { code: "SQLITE_CONSTRAINT_NOTNULL" });
    assert.equal(errors, 1);
    await db.selectFrom("notes").selectAll().execute();
    assert.deepEqual(told, ['select * from "notes"']);
    await db.destroy();
  });
});
