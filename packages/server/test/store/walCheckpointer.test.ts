/**
 * SQLite's checkpoints in a worker thread (store/walCheckpointer.ts), on real files and a real
 * worker: it starts only when writes are busy, keeps the -wal file from growing under a writer
 * that never pauses, gives checkpoints back to the main connection when it fails, and lets the
 * last connection remove the log on close. The thresholds are shrunk so a test writes kilobytes,
 * not the 32 MB the server's would take.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { Kysely } from "kysely";
import { createKyselyStore } from "../../src/store/kyselyStore.js";
import type { Database as Schema } from "../../src/store/schema.js";
import { openSqliteInStorage, sqlitePath } from "../../src/store/sqliteDatabase.js";
import { SqliteDialectKeepingErrors } from "../../src/store/sqliteDialect.js";
import { cachingStatements } from "../../src/store/statementCache.js";
import {
  walCheckpointer,
  type CheckpointerState,
  type WalCheckpointer,
} from "../../src/store/walCheckpointer.js";
import { newConversation, visitorMessage } from "./suite/harness.js";

async function until(checkpointer: WalCheckpointer, state: CheckpointerState): Promise<void> {
  for (let waited = 0; checkpointer.state !== state; waited += 10) {
    if (waited > 10_000) assert.fail(`the checkpointer is ${checkpointer.state}, not ${state}, after 10 s`);
    await sleep(10);
  }
}

const autocheckpoint = (db: Database.Database) => Number(db.pragma("wal_autocheckpoint", { simple: true }));

describe("the WAL checkpoint worker", () => {
  const root = mkdtempSync(join(tmpdir(), "parley-wal-checkpointer-"));
  after(() => rmSync(root, { recursive: true, force: true }));
  let dirs = 0;
  const storageDir = () => join(root, `storage-${++dirs}`);

  it("starts only once writes are busy, bounds the log under a writer that never pauses, and lets the last connection remove it", async () => {
    const dir = storageDir();
    const db = openSqliteInStorage(dir);
    db.exec("create table notes (id integer primary key, body blob not null)");
    // No backstop: were the log never finished and started over, it would grow with every write.
    const checkpointer = walCheckpointer(db, undefined, {
      busyWritesPerSecond: 10,
      everyMs: 20,
      restartPages: 64,
      backstopPages: 1_000_000,
      handoverPages: 4,
    });
    checkpointer.noteWrites(9);
    assert.equal(checkpointer.state, "idle");
    checkpointer.noteWrites(1);
    await until(checkpointer, "running");
    assert.equal(autocheckpoint(db), 1_000_000);

    const pageSize = Number(db.pragma("page_size", { simple: true }));
    const walFile = `${sqlitePath(dir)}-wal`;
    const insert = db.prepare("insert into notes (body) values (?)");
    let written = 0;
    let largestLog = 0;
    const started = performance.now();
    while (performance.now() - started < 1500) {
      // A commit per row, each a few pages, the event loop free between them as the server's is.
      insert.run(Buffer.alloc(2 * pageSize, written));
      written++;
      largestLog = Math.max(largestLog, (statSync(walFile).size - 32) / (pageSize + 24));
      await sleep(1);
    }
    const pagesWritten = written * 3;
    assert.ok(pagesWritten > 1000, `only ${written} commits in 1.5 s`);
    assert.ok(
      largestLog < 400,
      `the -wal file grew to ${Math.round(largestLog)} pages for about ${pagesWritten} written: it never started over`,
    );
    // The worker caught up before each handover: the event loop copied the last moment's pages,
    // not everything written since the worker's last regular pass.
    const { count, pagesOnMain } = checkpointer.handovers;
    assert.ok(count > 0, "the main connection never finished a log");
    assert.ok(
      pagesOnMain / count <= 16,
      `the main connection copied ${(pagesOnMain / count).toFixed(1)} pages per log it finished`,
    );

    await checkpointer.close();
    assert.equal(checkpointer.state, "closed");
    assert.equal(autocheckpoint(db), 1000, "checkpoints are the main connection's again");
    // The worker's connection is closed: the main one is the last, and takes the log with it.
    db.close();
    assert.equal(existsSync(walFile), false, "the -wal file outlived the last connection");
    const reopened = new Database(sqlitePath(dir));
    assert.deepEqual(reopened.prepare("select count(*) as n from notes").get(), { n: written });
    reopened.close();
  });

  it("waits out a transaction held open on the main connection instead of failing in it", async () => {
    const dir = storageDir();
    const db = openSqliteInStorage(dir);
    db.exec("create table notes (id integer primary key, body blob not null)");
    const checkpointer = walCheckpointer(db, undefined, {
      busyWritesPerSecond: 1,
      everyMs: 10,
      restartPages: 8,
    });
    checkpointer.noteWrites(1);
    await until(checkpointer, "running");
    const insert = db.prepare("insert into notes (body) values (?)");
    for (let i = 0; i < 20; i++) insert.run(Buffer.alloc(1024, i));
    // As a Kysely transaction does across its awaits: the worker asks for the log to be finished
    // meanwhile, and SQLite would refuse the main connection's checkpoint (SQLITE_LOCKED).
    db.exec("begin immediate");
    insert.run(Buffer.alloc(1024, 98));
    await sleep(100);
    db.exec("commit");
    await sleep(100);
    insert.run(Buffer.alloc(1024, 99));
    assert.equal(checkpointer.state, "running");
    const [log] = db.pragma("wal_checkpoint(PASSIVE)") as { log: number }[];
    assert.ok(log!.log < 8, `the log was not started over after the transaction: ${log!.log} pages`);
    await checkpointer.close();
    db.close();
  });

  it("gives checkpoints back to the main connection when the worker cannot open the database", async () => {
    const dir = storageDir();
    const db = openSqliteInStorage(dir);
    db.exec("create table notes (id integer primary key)");
    // The worker opens the file by name, which is gone; the main connection keeps its own.
    rmSync(sqlitePath(dir));
    const checkpointer = walCheckpointer(db, undefined, { busyWritesPerSecond: 1 });
    checkpointer.noteWrites(1);
    await until(checkpointer, "failed");
    assert.equal(autocheckpoint(db), 1000);
    db.prepare("insert into notes default values").run();
    await checkpointer.close();
    db.close();
  });

  it("never starts for a database in memory", async () => {
    const db = new Database(":memory:");
    const checkpointer = walCheckpointer(db, undefined, { busyWritesPerSecond: 1 });
    checkpointer.noteWrites(100);
    assert.equal(checkpointer.state, "off");
    await checkpointer.close();
    db.close();
  });

  it("is told of the store's appends, and stopped by the store's close", async () => {
    const dir = storageDir();
    const sqlite = openSqliteInStorage(dir);
    const statements = cachingStatements(sqlite);
    const checkpointer = walCheckpointer(sqlite, undefined, { busyWritesPerSecond: 20 });
    const store = createKyselyStore(
      new Kysely<Schema>({ dialect: new SqliteDialectKeepingErrors({ database: statements }, sqlite) }),
      "sqlite",
      undefined,
      { database: sqlite, statements, checkpointer },
    );
    await store.migrate();
    const conversation = await newConversation(store);
    for (let i = 0; i < 19; i++)
      await store.appendMessage(visitorMessage(conversation.id, `hello ${i}`, new Date().toISOString()));
    assert.equal(checkpointer.state, "idle");
    await store.appendMessage(visitorMessage(conversation.id, "one more", new Date().toISOString()));
    await until(checkpointer, "running");
    await store.close();
    assert.equal(checkpointer.state, "closed");
    assert.equal(existsSync(`${sqlitePath(dir)}-wal`), false);
  });
});
