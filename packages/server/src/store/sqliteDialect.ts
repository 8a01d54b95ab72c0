/**
 * Kysely's SQLite dialect, with two changes:
 *
 * - A transaction that SQLite already rolled back by itself is not rolled back again. SQLite ends
 *   the transaction on its own after some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM,
 *   SQLITE_BUSY: "Response To Errors Within A Transaction" in its documentation); Kysely's
 *   `rollback` then fails with "cannot rollback - no transaction is active", and that error
 *   replaces the one that mattered, so a full disk looked like a bug to every caller (found by
 *   the disk-full test, test/reliability/diskfull.test.ts).
 * - Queries wait for the one connection in a FIFO line (fifoLock.ts) rather than behind Kysely's
 *   lock, whose cost grows with the square of the queries waiting.
 */
import type Database from "better-sqlite3";
import {
  SqliteAdapter,
  SqliteDialect,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDialectConfig,
} from "kysely";
import { FifoLock } from "./fifoLock.js";

/**
 * SQLite's adapter, except that Kysely is told the driver takes care of sharing its connection:
 * this is the only thing Kysely reads `supportsMultipleConnections` for (to put its own lock in
 * front of the driver), and the driver below holds a lock of its own.
 */
class SqliteAdapterLockedByDriver extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

export class SqliteDialectKeepingErrors extends SqliteDialect {
  /** Held by whoever runs on the one connection through Kysely (sqliteQueriesAtOnce.ts reads it). */
  readonly lock = new FifoLock();

  constructor(
    config: SqliteDialectConfig,
    private readonly connection: Pick<Database.Database, "inTransaction">,
  ) {
    super(config);
  }

  override createAdapter(): DialectAdapter {
    return new SqliteAdapterLockedByDriver();
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const rollback = driver.rollbackTransaction.bind(driver);
    const database = this.connection;
    driver.rollbackTransaction = async (connection: DatabaseConnection) => {
      if (!database.inTransaction) return;
      await rollback(connection);
    };
    // One query or transaction at a time on the one connection, in the order they asked.
    const lock = this.lock;
    const acquire = driver.acquireConnection.bind(driver);
    const release = driver.releaseConnection.bind(driver);
    driver.acquireConnection = async () => {
      await lock.acquire();
      try {
        return await acquire();
      } catch (error) {
        lock.release();
        throw error;
      }
    };
    driver.releaseConnection = async (connection: DatabaseConnection) => {
      try {
        await release(connection);
      } finally {
        lock.release();
      }
    };
    return driver;
  }
}
