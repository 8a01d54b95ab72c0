/**
 * STORAGE_DIR holds the database, the uploads, the secret that signs cookies and links, and the
 * VAPID private key: no other user of the machine should read any of it. Folders are made 0700
 * and files 0600 whatever the umask, and folders an older version made are tightened at boot.
 */
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { chmod, mkdir } from "node:fs/promises";

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** A folder someone else owns (a mount the operator chose) keeps its mode: only its owner may change it. */
function unlessNotOwner(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== "EPERM") throw error;
}

export function makePrivateDirSync(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  try {
    chmodSync(path, PRIVATE_DIR_MODE);
  } catch (error) {
    unlessNotOwner(error);
  }
}

export async function makePrivateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  await chmod(path, PRIVATE_DIR_MODE).catch(unlessNotOwner);
}

/** makePrivateDirSync, and the folders right inside it too (the uploads' two-letter prefixes). */
export function makePrivateTreeSync(path: string): void {
  makePrivateDirSync(path);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory()) makePrivateDirSync(join(path, entry.name));
  }
}

/** Creates the file empty if missing, and makes it (new or old) readable by its owner only. */
export function makePrivateFileSync(path: string): void {
  closeSync(openSync(path, "a", PRIVATE_FILE_MODE));
  chmodSync(path, PRIVATE_FILE_MODE);
}

/** Makes the file owner-only if it exists. */
export function keepPrivateIfPresentSync(path: string): void {
  try {
    chmodSync(path, PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") unlessNotOwner(error);
  }
}
