/**
 * A Parley server for audit log tests (protocol §17), on SQLite and, when TEST_DATABASE_URL is
 * set, on Postgres; the owner's REST calls; the stored entries read back through the store.
 */
import type { AuditAction } from "@parley/protocol";
import type { StoredAuditEntry } from "../../src/store/auditStore.js";
import { databaseFor, POSTGRES_SKIP } from "../support/postgres.js";
import { login, startTestServer, type TestServer } from "../support/testServer.js";

export const ENGINES = ["sqlite", "postgres"] as const;

/** Why a suite on `engine` does not run here; false: it runs. */
export function skipFor(engine: (typeof ENGINES)[number]): string | false {
  return engine === "postgres" && !process.env.TEST_DATABASE_URL ? POSTGRES_SKIP : false;
}

export interface AuditServer {
  server: TestServer;
  ownerCookie: string;
  dispose(): Promise<void>;
}

/** A server on a fresh database of `engine`, with the owner logged in. */
export async function startAuditServer(
  engine: (typeof ENGINES)[number],
  env: Record<string, string> = {},
): Promise<AuditServer> {
  const database = await databaseFor(engine);
  if (database === undefined) throw new Error(POSTGRES_SKIP);
  const server = await startTestServer({
    RATE_LIMIT_PER_MINUTE: "1000",
    WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
    ...database.env,
    ...env,
  });
  return {
    server,
    ownerCookie: await login(server.url),
    dispose: async () => {
      await server.dispose();
      await database.drop();
    },
  };
}

export interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: string };
}

export async function call(
  server: TestServer,
  method: string,
  path: string,
  options: { json?: unknown; cookie?: string; token?: string } = {},
): Promise<Answer> {
  const headers = new Headers();
  if (options.cookie !== undefined) headers.set("cookie", options.cookie);
  if (options.token !== undefined) headers.set("authorization", `Bearer ${options.token}`);
  if (options.json !== undefined) headers.set("content-type", "application/json");
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === "" ? {} : JSON.parse(text)) as Answer["body"] };
}

/** Every stored entry, oldest first. */
export async function storedEntries(server: TestServer): Promise<StoredAuditEntry[]> {
  return (await server.store.listAuditEntries({ limit: 10_000 })).reverse();
}

/** The one entry of `action`; fails when there is none or more than one. */
export async function onlyEntry(server: TestServer, action: AuditAction): Promise<StoredAuditEntry> {
  const entries = (await storedEntries(server)).filter((entry) => entry.action === action);
  if (entries.length !== 1) throw new Error(`${action}: ${entries.length} entries, not one`);
  return entries[0]!;
}
