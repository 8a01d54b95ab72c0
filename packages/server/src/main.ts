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
import { fileURLToPath } from "node:url";
import { runBundle } from "./bundleCodeCache.js";
import { enableCompileCacheSafely } from "./compileCacheFolder.js";

/** Set by build.mjs in dist/main.js: the bundle's file, next to it, and its SHA-256. */
declare const PARLEY_BUNDLE: { file: string; sha256: string } | undefined;

const directory = enableCompileCacheSafely();
if (typeof PARLEY_BUNDLE === "undefined") {
  await import("./startProcess.js");
} else {
  const file = fileURLToPath(new URL(PARLEY_BUNDLE.file, import.meta.url));
  runBundle(
    { file, sha256: PARLEY_BUNDLE.sha256, importPackage: (specifier) => import(specifier) },
    directory,
  );
}
