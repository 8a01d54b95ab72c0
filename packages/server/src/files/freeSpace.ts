/**
 * Whether the storage folder (SQLite file, uploads waiting to be checked, uploads on disk) has
 * room for writes. Read from the filesystem (statfs) on each `/up`, so a proxy stops sending new
 * work to a node whose disk is full, and an operator sees why, before chats start failing.
 */
import { statfs } from "node:fs/promises";

/**
 * Below this, writes are about to fail: a SQLite transaction or an upload's temporary file
 * takes more than this at once. Small enough for a modest volume to count as healthy.
 */
export const MIN_FREE_BYTES = 256 * 1024;

/** Bytes this process may still write under `dir` (what non-root users see: `bavail`). */
export async function freeBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}
