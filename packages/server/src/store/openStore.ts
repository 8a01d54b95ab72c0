/**
 * Picks the engine from DATABASE_URL, once, for main.ts: unset or empty means SQLite in
 * STORAGE_DIR; postgres:// or postgresql:// means Postgres. Call `migrate()` on the result before
 * serving.
 */
import { Kysely, type LogEvent } from "kysely";
import { CurrentSchemaPostgresDialect } from "./currentSchemaIntrospector.js";
import { createKyselyStore } from "./kyselyStore.js";
import type { StoreLogger } from "./logger.js";
import { createPostgresPool } from "./postgresPool.js";
import type { Database } from "./schema.js";
import { openSqliteInStorage } from "./sqliteDatabase.js";
import { SqliteDialectKeepingErrors } from "./sqliteDialect.js";
import { runQueriesAtOnce, statementRunner } from "./sqliteQueriesAtOnce.js";
import { cachingStatements } from "./statementCache.js";
import type { Store } from "./store.js";
import { walCheckpointer } from "./walCheckpointer.js";

export interface OpenStoreOptions {
  /** DATABASE_URL. */
  databaseUrl?: string;
  /** STORAGE_DIR: where the SQLite file lives when there is no DATABASE_URL. */
  storageDir: string;
  logger?: StoreLogger;
  /** Told every statement's time (metrics); errors are counted by `onQueryError`. */
  onQuery?: (sql: string, millis: number) => void;
  onQueryError?: () => void;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const url = options.databaseUrl?.trim() ?? "";
  if (url === "") {
    const sqlite = openSqlite(options.storageDir);
    const statements = cachingStatements(sqlite);
    const dialect = new SqliteDialectKeepingErrors({ database: statements }, sqlite);
    const { onQuery, onQueryError } = options;
    const checkpointer = walCheckpointer(sqlite, options.logger);
    const handle = { database: sqlite, statements, onQuery, onQueryError, checkpointer };
    const db = new Kysely<Database>({ dialect, log: queryLog(options) });
    runQueriesAtOnce(db, dialect.lock, statementRunner(handle));
    return createKyselyStore(db, "sqlite", options.logger, handle);
  }
  checkPostgresUrl(url);
  const dialect = new CurrentSchemaPostgresDialect({ pool: await createPostgresPool(url, options.logger) });
  return createKyselyStore(
    new Kysely<Database>({ dialect, log: queryLog(options) }),
    "postgres",
    options.logger,
  );
}

/** Kysely's per-statement hook, only when someone listens (it costs a closure call per query). */
function queryLog(options: OpenStoreOptions): ((event: LogEvent) => void) | undefined {
  const { onQuery, onQueryError } = options;
  if (onQuery === undefined && onQueryError === undefined) return undefined;
  return (event) => {
    if (event.level === "query") onQuery?.(event.query.sql, event.queryDurationMillis);
    else onQueryError?.();
  };
}

function openSqlite(storageDir: string) {
  try {
    return openSqliteInStorage(storageDir);
  } catch (error) {
    throw new Error(`STORAGE_DIR: cannot open the SQLite database in ${storageDir}: ${String(error)}`, {
      cause: error,
    });
  }
}

/** Error messages name the scheme at most: the URL may hold a password. */
function checkPostgresUrl(url: string): void {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    throw new Error(
      "DATABASE_URL is not a URL: expected postgres://user:password@host:port/database, or leave it unset to use SQLite in STORAGE_DIR",
    );
  }
  if (scheme !== "postgres" && scheme !== "postgresql") {
    throw new Error(
      `DATABASE_URL has the unsupported scheme "${scheme}:": only postgres:// and postgresql:// are supported; leave it unset to use SQLite in STORAGE_DIR`,
    );
  }
}
