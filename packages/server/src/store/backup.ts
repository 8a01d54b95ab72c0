/**
 * A consistent copy of a live SQLite database, taken while the server keeps writing to it.
 *
 * `VACUUM INTO` reads the whole database in one read transaction, so the copy is one committed
 * state (never half of a transaction), and in WAL mode that read does not block the writer. The
 * online backup API (`db.backup()`) would start over each time another connection writes, which a
 * busy server may do faster than the copy finishes. The copy is written next to the destination
 * and linked into place, so the destination either does not exist or is complete.
 *
 * VACUUM INTO runs synchronously and holds this thread for the duration of the copy: call it from
 * the CLI or a maintenance job, not on a request path.
 */
import { chmodSync, existsSync, linkSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import Database from "better-sqlite3";
import { PRIVATE_FILE_MODE } from "../privateStorage.js";

export async function backupSqlite(sourcePath: string, destPath: string): Promise<void> {
  if (existsSync(destPath)) {
    throw new Error(`backup: ${destPath} already exists; refusing to overwrite it (choose a new file name)`);
  }
  if (!existsSync(sourcePath)) {
    throw new Error(`backup: the database ${sourcePath} does not exist`);
  }
  const partialPath = join(dirname(destPath), `.${basename(destPath)}.${process.pid}.${Date.now()}.partial`);
  const source = new Database(sourcePath, { fileMustExist: true });
  try {
    source.pragma("busy_timeout = 5000");
    source.prepare("VACUUM INTO ?").run(partialPath);
    // The copy holds everything the database does (privateStorage.ts).
    chmodSync(partialPath, PRIVATE_FILE_MODE);
    try {
      // link() fails if the destination appeared meanwhile, where rename() would replace it.
      linkSync(partialPath, destPath);
    } catch (error) {
      if (error instanceof Error && "code" in error && error.code === "EEXIST") {
        throw new Error(
          `backup: ${destPath} already exists; refusing to overwrite it (choose a new file name)`,
          { cause: error },
        );
      }
      throw error;
    }
  } finally {
    source.close();
    rmSync(partialPath, { force: true });
  }
}
