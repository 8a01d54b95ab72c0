/**
 * Kysely prepares every query it runs, and better-sqlite3's `prepare` parses and plans the SQL
 * each time: on a chat message's path that was a sixth of the server's CPU. Parley's queries come
 * in a fixed set of shapes, so each distinct SQL text is prepared once and then reused.
 *
 * Reuse is safe because Kysely's SQLite dialect runs one query at a time on its one connection
 * (a streamed query holds the connection until its iterator is finished or returned), and the
 * queries run outside Kysely's line (sqliteQueriesAtOnce.ts) run only while no one holds it, so a
 * statement is never asked to run while it is still busy. SQLite re-prepares a cached statement
 * by itself when the schema changes (migrations).
 */
import type Database from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/** Far more than the distinct queries Parley has; only a runaway of ad hoc SQL would reach it. */
const MAX_STATEMENTS = 1000;

export function cachingStatements(db: Database.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        if (statements.size >= MAX_STATEMENTS) statements.clear();
        statement = db.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
    close() {
      statements.clear();
      db.close();
    },
  };
}
