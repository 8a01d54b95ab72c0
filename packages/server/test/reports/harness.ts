/**
 * The report suites' world: a real server on SQLite or (with TEST_DATABASE_URL) a Postgres schema
 * of its own, the owner's cookie, agents who log in, and a way to the database from outside the
 * server (raw rows, bulk inserts, query plans).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql, type RawBuilder } from "kysely";
import pg from "pg";
import { hashPassword } from "../../src/chat/passwords.js";
import { openStore } from "../../src/store/openStore.js";
import { sqlitePath } from "../../src/store/sqliteDatabase.js";
import type { Store } from "../../src/store/store.js";
import { postgresSchema, type PostgresSchema } from "../support/postgres.js";
import { AGENT_ORIGIN, login, OWNER, startTestServer, type TestServer } from "../support/testServer.js";
import type { BulkTarget } from "./yearOfData.js";

export type Engine = "sqlite" | "postgres";

export interface ReportWorld {
  engine: Engine;
  server: TestServer;
  ownerCookie: string;
  /** GET as the owner (or `cookie`). */
  get(path: string, cookie?: string): Promise<Response>;
  /** Creates an agent over REST and logs them in. */
  addAgent(name: string): Promise<{ id: number; name: string; cookie: string }>;
  /** Rows of a statement run from outside the server (`?` placeholders on both engines). */
  rows<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** The database as Kysely, from outside the server (query plans). */
  db: Kysely<unknown>;
  dispose(): Promise<void>;
}

let agentCounter = 0;

/**
 * `prepare` writes into the database before the server starts (a bulk seed): rows written behind
 * a running server's back would be taken for another process's messages and published by its
 * store tail, hundreds of thousands of them.
 */
export async function reportWorld(
  engine: Engine,
  prepare?: (store: Store, bulk: BulkTarget) => Promise<void>,
): Promise<ReportWorld> {
  let schema: PostgresSchema | undefined;
  if (engine === "postgres") {
    schema = await postgresSchema();
    if (schema === undefined) throw new Error("TEST_DATABASE_URL is not set");
  }
  const storageDir = mkdtempSync(join(tmpdir(), "parley-reports-"));
  if (prepare !== undefined) {
    const store = await openStore({
      storageDir,
      ...(schema === undefined ? {} : { databaseUrl: schema.url }),
    });
    const sqlite = schema === undefined ? new Database(sqlitePath(storageDir)) : undefined;
    const pool = schema === undefined ? undefined : new pg.Pool({ connectionString: schema.url, max: 1 });
    try {
      await store.migrate();
      // The server makes its first owner only in an empty team: this is the one it would make.
      await store.createAgent({
        username: OWNER.username,
        name: "Owner",
        role: "owner",
        passwordHash: await hashPassword(OWNER.password),
        at: new Date().toISOString(),
      });
      await prepare(store, sqlite !== undefined ? { sqlite } : { postgres: pool! });
    } finally {
      sqlite?.close();
      await pool?.end();
      await store.close();
    }
  }
  const server = await startTestServer(
    {
      RATE_LIMIT_PER_MINUTE: "1000",
      ...(schema === undefined ? {} : { DATABASE_URL: schema.url }),
    },
    storageDir,
  );
  const ownerCookie = await login(server.url);
  const sqlite = schema === undefined ? new Database(sqlitePath(server.storageDir)) : undefined;
  const pool = schema === undefined ? undefined : new pg.Pool({ connectionString: schema.url, max: 2 });
  const db = new Kysely<unknown>({
    dialect:
      sqlite !== undefined ? new SqliteDialect({ database: sqlite }) : new PostgresDialect({ pool: pool! }),
  });
  const get = (path: string, cookie = ownerCookie) =>
    fetch(`${server.url}${path}`, { headers: { cookie, origin: AGENT_ORIGIN } });
  return {
    engine,
    server,
    ownerCookie,
    get,
    db,
    async addAgent(name) {
      const username = `agent-${++agentCounter}-${Date.now().toString(36)}`;
      const password = "a long enough password";
      const response = await fetch(`${server.url}/agents`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: ownerCookie, origin: AGENT_ORIGIN },
        body: JSON.stringify({ username, password, name }),
      });
      if (response.status !== 201) throw new Error(`add agent: ${response.status} ${await response.text()}`);
      const { agent } = (await response.json()) as { agent: { id: number; name: string } };
      return { id: agent.id, name: agent.name, cookie: await login(server.url, { username, password }) };
    },
    async rows<T>(text: string, params: unknown[] = []) {
      if (sqlite !== undefined) {
        const statement = sqlite.prepare(text);
        if (!statement.reader) {
          statement.run(...params);
          return [];
        }
        return statement.all(...params) as T[];
      }
      let n = 0;
      const result = await pool!.query(
        text.replace(/\?/g, () => `$${++n}`),
        params,
      );
      return result.rows as T[];
    },
    async dispose() {
      await db.destroy();
      await server.dispose();
      await schema?.drop();
    },
  };
}

/** The statement's plan, one line per step. */
export async function planOf(world: ReportWorld, statement: RawBuilder<unknown>): Promise<string[]> {
  if (world.engine === "sqlite") {
    const result = await sql<{ detail: string }>`explain query plan ${statement}`.execute(world.db);
    return result.rows.map((row) => row.detail);
  }
  const result = await sql<{ "QUERY PLAN": string }>`explain ${statement}`.execute(world.db);
  return result.rows.map((row) => row["QUERY PLAN"]);
}
