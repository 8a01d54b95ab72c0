/**
 * Moving up: copies a SQLite deployment into a Postgres database, every table and every id, in
 * one Postgres transaction (a failure leaves the target as it was), then moves each identity
 * sequence past the copied ids so new rows never reuse one, and checks the row counts.
 *
 * Tables and their order come from the SQLite file itself (foreign keys first), so tables that
 * later migrations add are copied without a change here.
 */
import type Database from "better-sqlite3";
import type pg from "pg";
import { openStore } from "./openStore.js";
import { createPostgresPool } from "./postgresPool.js";
import { openSqliteDatabase } from "./sqliteDatabase.js";

const BATCH_ROWS = 500;

/**
 * Tables the migrations fill in an empty database (005 creates the default site): the target's
 * rows are replaced by the source's, which are the deployment's own (its site key included).
 */
const SEEDED_BY_MIGRATIONS = new Set(["sites"]);

export interface CopyProgress {
  table: string;
  copied: number;
  total: number;
}

export interface CopyResult {
  tables: { table: string; rows: number }[];
}

/** Table names in an order where every referenced table comes before the tables that refer to it. */
function tablesInDependencyOrder(source: Database.Database): string[] {
  const names = (
    source
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'",
      )
      .all() as { name: string }[]
  ).map((row) => row.name);
  const dependsOn = new Map(
    names.map((name) => [
      name,
      (source.pragma(`foreign_key_list("${name}")`) as { table: string }[])
        .map((fk) => fk.table)
        .filter((table) => table !== name),
    ]),
  );
  const ordered: string[] = [];
  const visit = (name: string, path: Set<string>) => {
    if (ordered.includes(name) || path.has(name)) return;
    path.add(name);
    for (const parent of dependsOn.get(name) ?? []) visit(parent, path);
    ordered.push(name);
  };
  for (const name of [...names].sort()) visit(name, new Set());
  return ordered;
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

async function copyTable(
  source: Database.Database,
  target: pg.PoolClient,
  table: string,
  onProgress: (progress: CopyProgress) => void,
): Promise<number> {
  const columns = (source.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => c.name);
  const total = (source.prepare(`select count(*) as n from ${quote(table)}`).get() as { n: number }).n;
  const hasId = columns.includes("id");
  const rows = source
    .prepare(`select * from ${quote(table)}${hasId ? " order by id" : ""}`)
    .iterate() as Iterable<Record<string, unknown>>;
  const columnList = columns.map(quote).join(", ");
  let batch: unknown[][] = [];
  let copied = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values = batch
      .map((_, row) => `(${columns.map((__, col) => `$${row * columns.length + col + 1}`).join(", ")})`)
      .join(", ");
    // OVERRIDING SYSTEM VALUE: ids are copied as they are, even into GENERATED ALWAYS columns.
    await target.query(
      `insert into ${quote(table)} (${columnList}) overriding system value values ${values}`,
      batch.flat(),
    );
    copied += batch.length;
    batch = [];
    onProgress({ table, copied, total });
  };
  for (const row of rows) {
    batch.push(columns.map((column) => row[column]));
    if (batch.length === BATCH_ROWS) await flush();
  }
  await flush();
  if (hasId) await moveSequencePastIds(target, table);
  if (total === 0) onProgress({ table, copied, total });
  return copied;
}

/** For identity ids only: the next id handed out is above every copied one. */
async function moveSequencePastIds(target: pg.PoolClient, table: string): Promise<void> {
  const sequence = (
    await target.query<{ name: string | null }>("select pg_get_serial_sequence($1, 'id') as name", [table])
  ).rows[0]?.name;
  if (sequence === null || sequence === undefined) return;
  const max = (
    await target.query<{ max: number | null }>(`select max(id)::bigint as max from ${quote(table)}`)
  ).rows[0]?.max;
  // setval(seq, n, true): the next value is n + 1; (seq, 1, false) for an empty table: it is 1.
  await target.query("select setval($1, $2, $3)", [sequence, max ?? 1, max !== null && max !== undefined]);
}

/**
 * New conversations of a server that knows no sites land on the default site through the
 * column's default (migration 005): it must name the copied default site, not the replaced one.
 */
async function pointSiteDefaultAtDefaultSite(target: pg.PoolClient): Promise<void> {
  const id = (await target.query<{ id: number }>("select id from sites where is_default = 1")).rows[0]?.id;
  if (id === undefined) throw new Error("the copied database has no default site");
  await target.query(`alter table conversations alter column site_id set default ${Number(id)}`);
}

export async function copySqliteToPostgres(
  sqliteFile: string,
  postgresUrl: string,
  onProgress: (progress: CopyProgress) => void = () => {},
): Promise<CopyResult> {
  // The target gets Parley's schema first, exactly as a Postgres deployment would.
  const targetStore = await openStore({ databaseUrl: postgresUrl, storageDir: "." });
  await targetStore.migrate();
  await targetStore.close();

  const source = openSqliteDatabase(sqliteFile);
  const pool = await createPostgresPool(postgresUrl);
  const client = await pool.connect();
  try {
    const tables = tablesInDependencyOrder(source);
    for (const table of tables.filter((name) => !SEEDED_BY_MIGRATIONS.has(name))) {
      const existing = await client.query<{ n: number }>(`select count(*)::int as n from ${quote(table)}`);
      if ((existing.rows[0]?.n ?? 0) > 0) {
        throw new Error(`the target already holds rows in ${table}: copy into an empty database`);
      }
    }
    await client.query("begin");
    const result: CopyResult = { tables: [] };
    try {
      // Every table that refers to these is empty (checked above), so nothing cascades.
      for (const table of tables.filter((name) => SEEDED_BY_MIGRATIONS.has(name)))
        await client.query(`delete from ${quote(table)}`);
      for (const table of tables)
        result.tables.push({ table, rows: await copyTable(source, client, table, onProgress) });
      // The count check: what arrived is what was there.
      for (const { table, rows } of result.tables) {
        const sourceRows = (
          source.prepare(`select count(*) as n from ${quote(table)}`).get() as { n: number }
        ).n;
        const targetRows = (
          await client.query<{ n: number }>(`select count(*)::int as n from ${quote(table)}`)
        ).rows[0]?.n;
        if (sourceRows !== rows || targetRows !== rows) {
          throw new Error(
            `count check failed for ${table}: SQLite ${sourceRows}, copied ${rows}, Postgres ${targetRows}`,
          );
        }
      }
      await pointSiteDefaultAtDefaultSite(client);
      await client.query("commit");
      return result;
    } catch (error) {
      await client.query("rollback");
      throw error;
    }
  } finally {
    client.release();
    await pool.end();
    source.close();
  }
}
