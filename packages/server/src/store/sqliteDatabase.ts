/** Opening Parley's SQLite file with the settings a live chat server needs. */
import { join } from "node:path";
import Database from "better-sqlite3";
import { keepPrivateIfPresentSync, makePrivateDirSync, makePrivateFileSync } from "../privateStorage.js";

export const SQLITE_FILE_NAME = "parley.sqlite3";

export function sqlitePath(storageDir: string): string {
  return join(storageDir, SQLITE_FILE_NAME);
}

export function openSqliteDatabase(path: string): Database.Database {
  const db = new Database(path);
  try {
    // WAL: readers (and backups) never block the writer and the writer never blocks them.
    db.pragma("journal_mode = WAL");
    // Wait for a lock held by another process (a backup, the CLI) instead of failing at once.
    db.pragma("busy_timeout = 5000");
    // SQLite ignores foreign keys unless asked, per connection; cascades and SET NULL rely on it.
    db.pragma("foreign_keys = ON");
    // In WAL mode NORMAL is durable against process crashes and skips most fsyncs.
    db.pragma("synchronous = NORMAL");
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Creates the storage folder and opens `<storageDir>/parley.sqlite3`, all owner-only. SQLite
 * gives the -wal and -shm files the database file's mode, so the file is made 0600 before it is
 * opened; ones an older version left behind are tightened too.
 */
export function openSqliteInStorage(storageDir: string): Database.Database {
  makePrivateDirSync(storageDir);
  const path = sqlitePath(storageDir);
  makePrivateFileSync(path);
  for (const suffix of ["-wal", "-shm", "-journal"]) keepPrivateIfPresentSync(`${path}${suffix}`);
  const db = openSqliteDatabase(path);
  for (const suffix of ["-wal", "-shm"]) keepPrivateIfPresentSync(`${path}${suffix}`);
  return db;
}
