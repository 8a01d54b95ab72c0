/**
 * A pg pool for DATABASE_URL that returns the same JS types as our SQLite setup. pg is imported
 * here, when a pool is made, not at boot: a server on SQLite never loads it.
 */
import type pg from "pg";
import { loadOnce } from "../loadOnce.js";
import { importPackage } from "../importPackage.js";
import type { StoreLogger } from "./logger.js";

const loadPg = loadOnce(async () => (await importPackage<typeof import("pg")>("pg")).default);

/**
 * pg returns int8 (bigint ids, count(*)) as strings, because they may exceed 2^53. Ours are ids
 * and counts that stay far below that; a value that does not fit is an error, never a rounding.
 * Set on this pool only: the global pg.types would change every other user of pg in the process.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} does not fit in a JS number`);
  return value;
}

export async function createPostgresPool(connectionString: string, logger?: StoreLogger): Promise<pg.Pool> {
  const pg = await loadPg();
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, parseInt8);
  // The connection string keeps its own parameters, e.g. `?options=-c search_path=chat` or sslmode.
  const pool = new pg.Pool({ connectionString, types, application_name: "parley" });
  // An idle client that loses its connection emits on the pool; unhandled, that would crash the
  // process. The pool drops that client, and the next query reports any outage to its caller.
  // Only the message and code are logged: pg hangs the whole client (config, buffers) on the error.
  pool.on("error", (error) =>
    logger?.warn({ err: briefly(error) }, "store: idle Postgres connection failed"),
  );
  // A checked-out client (a transaction between two statements, a query being sent) that loses
  // its connection emits "error" on itself, where the pool listens only while it is idle: with no
  // listener that killed the process when Postgres went away under traffic (found by
  // test/reliability/outage.test.ts). Its query fails to its caller, and the pool discards the
  // broken client when it is released.
  pool.on("connect", (client) => {
    client.on("error", (error) =>
      logger?.warn({ err: briefly(error) }, "store: Postgres connection in use failed"),
    );
  });
  return pool;
}

function briefly(error: Error): { message: string; code?: string } {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? { message: error.message, code } : { message: error.message };
}
