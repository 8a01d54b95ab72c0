/** How the suite looks into each backend from outside the server. */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { sqlitePath } from "../../src/store/sqliteDatabase.js";
import type { TestServer } from "../support/testServer.js";

export async function countDiskBlobs(server: TestServer): Promise<number> {
  const entries = await readdir(join(server.storageDir, "uploads"), {
    recursive: true,
    withFileTypes: true,
  }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).length;
}

function hoursBefore(iso: string, hours: number): string {
  return new Date(Date.parse(iso) - hours * 60 * 60 * 1000).toISOString();
}

/** Backdates an upload in the server's SQLite file (WAL: the server keeps writing meanwhile). */
export async function ageInSqlite(server: TestServer, id: number, hours: number): Promise<void> {
  const created = (await server.store.getAttachment(id))!.createdAt;
  const db = new Database(sqlitePath(server.storageDir));
  try {
    db.prepare("update attachments set created_at = ? where id = ?").run(hoursBefore(created, hours), id);
  } finally {
    db.close();
  }
}

export function ageInPostgres(databaseUrl: string) {
  return async (server: TestServer, id: number, hours: number): Promise<void> => {
    const created = (await server.store.getAttachment(id))!.createdAt;
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query("update attachments set created_at = $1 where id = $2", [
        hoursBefore(created, hours),
        id,
      ]);
    } finally {
      await client.end();
    }
  };
}
