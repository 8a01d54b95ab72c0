/**
 * Where compiled code is kept between starts (Node's compile cache, and the bundle's code cache in
 * bundleCodeCache.ts). What is read from there runs as the server, so a folder another user
 * could write to is not used. By default it is node-compile-cache in the system's temporary
 * folder, which any local user could have made first; NODE_COMPILE_CACHE names another, which
 * Node turns on by itself before any code runs. Without a cache the server only compiles again.
 */
import { statSync } from "node:fs";
import { enableCompileCache } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Turns Node's compile cache on where that is safe; returns its folder, undefined when off. */
export function enableCompileCacheSafely(): string | undefined {
  // Checked before Node writes to it or reads from it; a folder that is not there yet Node makes.
  if (
    process.env.NODE_COMPILE_CACHE === undefined &&
    !ownFolder(join(tmpdir(), "node-compile-cache"), true)
  ) {
    return undefined;
  }
  const { directory } = enableCompileCache();
  return directory !== undefined && ownFolder(directory, false) ? directory : undefined;
}

/** A folder of this user that no other can write to (its group may, as a private group does). */
function ownFolder(path: string, absentIsFine: boolean): boolean {
  try {
    const stats = statSync(path);
    const uid = process.getuid?.();
    return stats.isDirectory() && (uid === undefined || stats.uid === uid) && (stats.mode & 0o002) === 0;
  } catch (error) {
    return absentIsFine && (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}
