/**
 * Runs the server's bundle (a CommonJS script) with V8's code cache of what the last run compiled.
 *
 * Node's compile cache (main.ts turns it on) saves a module's code as V8 has it right after the
 * compile, when only the top level and the functions V8 compiles eagerly are in it: each start
 * still compiled the thousands of functions fastify, Ajv, Kysely and the server first call at
 * boot. A script's cache made after it ran holds those too, so a restart runs their bytecode from
 * disk: 277 → 209 ms to `/up` on one core (docs/benchmarks.md, "Cold start").
 *
 * The cache is made as the process exits, when it has compiled what boot and the first requests
 * need, and only when the start found none or V8 refused it (another Node, other V8 flags). Its
 * file is named by the bundle's SHA-256, which the build computes, and V8's version, and sits in
 * Node's compile cache folder; V8 checks its version and flags again as it reads it. An
 * unwritable folder only costs the compile the cache would have saved.
 */
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";

/** The built bundle, as build.mjs describes it to main.ts. */
export interface Bundle {
  /** Its path. */
  file: string;
  /** Its SHA-256 (hex): a new build has a cache file of its own. */
  sha256: string;
  /**
   * An ES module's `import()`, which a script run through node:vm lacks: the bundle's name for
   * it is PARLEY_IMPORT (importPackage.ts).
   */
  importPackage: (specifier: string) => Promise<unknown>;
}

const PREFIX = "parley-bundle-";
const SUFFIX = ".v8cache";
/** What build.mjs defines PARLEY_IMPORT as. */
const IMPORT = "__parleyImport";

/** Runs the bundle as Node runs a CommonJS file, with the code cache in `cacheDir` if given. */
export function runBundle({ file, sha256, importPackage }: Bundle, cacheDir: string | undefined): void {
  const source = readFileSync(file, "utf8");
  const cacheFile =
    cacheDir === undefined
      ? undefined
      : join(cacheDir, `${PREFIX}${sha256}-v8-${process.versions.v8}${SUFFIX}`);
  const cachedData = cacheFile === undefined ? undefined : readIfPresent(cacheFile);
  // The wrapper Node puts around a CommonJS file, so the bundle sees the same five names, and
  // the import() it is handed.
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname, ${IMPORT}) {${source}\n})`,
    { filename: file, cachedData },
  );
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    process.once("exit", () => saveCache(script, cacheFile));
  }
  const module = { exports: {} };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file), importPackage);
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes the cache whole (a temporary file, then a rename), readable by this user only as Node's
 * own entries are, and drops the caches of other builds and V8 versions, which nothing reads.
 */
function saveCache(script: Script, cacheFile: string): void {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
    renameSync(temporary, cacheFile);
    const dir = dirname(cacheFile);
    for (const name of readdirSync(dir)) {
      if (name.startsWith(PREFIX) && name.endsWith(SUFFIX) && name !== basename(cacheFile)) {
        rmSync(join(dir, name), { force: true });
      }
    }
  } catch {
    rmSync(temporary, { force: true });
  }
}
