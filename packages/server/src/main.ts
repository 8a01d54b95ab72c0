/**
 * The process's entry point: Node's version check first, then Node's compile cache, then the
 * server (startProcess.ts).
 *
 * The cache keeps V8's compiled code of the server's bundle (3.6 MB of JavaScript) on disk, so a
 * restart does not parse and compile it all again: about a fifth of a restart's CPU to `/up`
 * (docs/benchmarks.md, "Cold start"). It must be on before the bundle is imported, hence this
 * separate file. It goes to NODE_COMPILE_CACHE, else the system's temporary folder (inside the
 * container, for the image); NODE_DISABLE_COMPILE_CACHE=1 turns it off. An unwritable folder
 * only costs the compile it would have saved; entries are keyed by the code and Node's version,
 * so a new build never runs an old one's.
 */
import "./refuseOldNode.js"; // first: before any dependency loads
import { enableCompileCache } from "node:module";

enableCompileCache();
await import("./startProcess.js");
