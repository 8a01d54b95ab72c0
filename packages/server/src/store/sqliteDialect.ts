/**
 * Kysely's SQLite dialect, with one change: a transaction that SQLite already rolled back by
 * itself is not rolled back again. SQLite ends the transaction on its own after some errors
 * (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM, SQLITE_BUSY: "Response To Errors Within A
 * Transaction" in its documentation); Kysely's `rollback` then fails with "cannot rollback - no
 * transaction is active", and that error replaces the one that mattered, so a full disk looked
 * like a bug to every caller (found by the disk-full test, test/reliability/diskfull.test.ts).
 */
import type Database from "better-sqlite3";
import { SqliteDialect, type DatabaseConnection, type Driver, type SqliteDialectConfig } from "kysely";

export class SqliteDialectKeepingErrors extends SqliteDialect {
  constructor(
    config: SqliteDialectConfig,
    private readonly connection: Pick<Database.Database, "inTransaction">,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const rollback = driver.rollbackTransaction.bind(driver);
    const database = this.connection;
    driver.rollbackTransaction = async (connection: DatabaseConnection) => {
      if (!database.inTransaction) return;
      await rollback(connection);
    };
    return driver;
  }
}
