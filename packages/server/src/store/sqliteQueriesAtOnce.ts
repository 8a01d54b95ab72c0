/**
 * On SQLite, a query on `db` itself runs at once when nobody else is using the connection.
 *
 * Through Kysely every statement passes its connection layer: acquire the connection (Kysely's
 * runtime driver, the dialect's FIFO lock), run it, release it, each step awaited. That cost
 * 5.7–6.5 µs a statement where better-sqlite3 alone takes 2.8–3.0 (docs/benchmarks.md,
 * twenty-fourth pass), for an answer better-sqlite3 gives synchronously. So when the connection
 * is free and no one is on their way to it, the statement runs right where it is asked, on the
 * same prepared statements, and its promise is already settled. Otherwise it takes Kysely's way
 * and its place in line as before: a transaction or the turn's write batch (sqliteWrites.ts)
 * holds the connection across awaits, and a statement run beside it would land inside
 * someone else's transaction. A store read such as getConversation went from 10.4–10.8 to
 * 7.9–8.4 µs a call, findVisitor from 4.5–5.5 to 3.1 (docs/benchmarks.md, twenty-fifth pass).
 *
 * Only `db`'s own executor is changed: a transaction runs on an executor of its own, bound to
 * the connection it holds, and executors made with plugins stay Kysely's.
 */
import type { CompiledQuery, Kysely, QueryResult } from "kysely";
import type { FifoLock } from "./fifoLock.js";
import type { SqliteHandle } from "./queries/sqliteAppend.js";

/** One compiled query on the connection, with Kysely's SQLite driver's result shape. */
export type StatementRunner = <Row>(query: CompiledQuery<Row>) => QueryResult<Row>;

export function statementRunner({ statements, onQuery, onQueryError }: SqliteHandle): StatementRunner {
  const execute = <Row>({ sql, parameters }: CompiledQuery<Row>): QueryResult<Row> => {
    const statement = statements.prepare(sql);
    if (statement.reader) return { rows: statement.all(parameters) as Row[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { insertId: BigInt(lastInsertRowid), numAffectedRows: BigInt(changes), rows: [] };
  };
  if (onQuery === undefined && onQueryError === undefined) return execute;
  // Timed as Kysely's query log times its statements (openStore.ts), for the same metric.
  return (query) => {
    const started = performance.now();
    try {
      const result = execute(query);
      onQuery?.(query.sql, performance.now() - started);
      return result;
    } catch (error) {
      onQueryError?.();
      throw error;
    }
  };
}

/** `lock`: the dialect's, held by whoever runs on the connection through Kysely. */
export function runQueriesAtOnce<Schema>(db: Kysely<Schema>, lock: FifoLock, run: StatementRunner): void {
  const executor = db.getExecutor();
  // A plugin may rewrite results; none is used, and one added later keeps Kysely's way.
  if (executor.plugins.length > 0) return;
  const provideConnection = executor.provideConnection.bind(executor);
  const executeQuery = executor.executeQuery.bind(executor);
  // Callers between asking for the connection and giving it back: one that asked but is still
  // a few promises away from the lock goes first, as the line's order says.
  let onTheirWay = 0;
  executor.provideConnection = async (consumer, options) => {
    onTheirWay++;
    try {
      return await provideConnection(consumer, options);
    } finally {
      onTheirWay--;
    }
  };
  // Runs to its end before returning (no await inside): an error becomes the promise's rejection.
  const runNow = async <Row>(query: CompiledQuery<Row>) => run(query);
  executor.executeQuery = <Row>(query: CompiledQuery<Row>, options?: Parameters<typeof executeQuery>[1]) =>
    // A query with an abort signal keeps Kysely's way, which knows how to abandon it.
    onTheirWay > 0 || lock.isHeld || options?.signal !== undefined
      ? executeQuery(query, options)
      : runNow(query);
}
