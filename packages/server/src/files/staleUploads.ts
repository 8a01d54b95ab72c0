/**
 * Uploads wait in a temporary folder while they are checked and are removed right after. Only a
 * crash leaves one behind; at boot those older than an hour go (younger ones may belong to
 * another process sharing STORAGE_DIR during a deploy).
 */
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";

const STALE_AFTER_MS = 60 * 60 * 1000;

export async function removeStaleUploads(dir: string, nowMs = Date.now()): Promise<void> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info !== undefined && nowMs - info.mtimeMs > STALE_AFTER_MS)
      await rm(path, { force: true, recursive: true });
  }
}
