/**
 * The process's entry point: Node's version check first, then Node's compile cache, then the
 * server (startProcess.ts).
 *
 * The cache keeps V8's compiled code on disk, so a restart does not parse and compile the server's
 * 3.6 MB of JavaScript again (docs/benchmarks.md, "Cold start"). It must be on before the server
 * loads, hence this separate file. It goes to NODE_COMPILE_CACHE, else the system's temporary
 * folder (inside the container, for the image), if no other user can write there
 * (compileCacheFolder.ts); NODE_DISABLE_COMPILE_CACHE=1 turns it off. An unwritable folder only
 * costs the compile it would have saved; entries are keyed by the code and Node's version, so a
 * new build never runs an old one's.
 *
 * Built, the server is one CommonJS bundle that bundleCodeCache.ts runs with a cache of its own,
 * made after it ran; from source (tests, `tsx`), it is imported as it is.
 */
import "./refuseOldNode.js"; // first: before any dependency loads
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { runBundle } from "./bundleCodeCache.js";
import { enableCompileCacheSafely } from "./compileCacheFolder.js";

/**
 * Set by build.mjs in dist/main.js: the bundle's file, next to it, and its SHA-256; and the npm
 * packages built into files of their own (pg), loaded on first use in place of node_modules.
 */
declare const PARLEY_BUNDLE: { file: string; sha256: string; packages: Record<string, string> } | undefined;

const directory = enableCompileCacheSafely();
if (typeof PARLEY_BUNDLE === "undefined") {
  await import("./startProcess.js");
} else {
  const { file, sha256, packages } = PARLEY_BUNDLE;
  const require = createRequire(import.meta.url);
  const importPackage = (specifier: string): Promise<unknown> => {
    const built = Object.hasOwn(packages, specifier) ? packages[specifier] : undefined;
    // A CommonJS file through require(): import() would scan all of it for named exports first.
    // What the server takes from such a package is its default export, as import() names it.
    return built === undefined ? import(specifier) : Promise.resolve({ default: require(built) as unknown });
  };
  runBundle({ file: fileURLToPath(new URL(file, import.meta.url)), sha256, importPackage }, directory);
}
