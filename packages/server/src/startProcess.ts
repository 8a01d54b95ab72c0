/**
 * The process: read the environment (the only place that does), start one Parley node, and
 * stop it cleanly on SIGTERM/SIGINT (within 10 s, as Kamal and Docker expect). Loaded by main.ts.
 *
 * No top-level await: the build makes this file's bundle a CommonJS script, which main.ts runs
 * with V8's code cache (bundleCodeCache.ts says why).
 */
import { ConfigError, loadConfig, type Config } from "./config.js";
import { missingNodeFlags } from "./nodeFlags.js";
import { startServer } from "./server.js";
import { lowerV8WorkerPriority } from "./v8WorkerPriority.js";

const STOP_DEADLINE_MS = 10_000;

async function startProcess(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Parley cannot start: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  // Before the server's first GCs: its helpers run in the time the event loop leaves.
  const helpers = lowerV8WorkerPriority();
  const server = await startServer(config);
  if (helpers.problem !== undefined)
    server.logger.info(
      helpers,
      "V8's helper threads keep their priority: GC may take turns with the event loop",
    );
  // NODE_OPTIONS too: flags given there are not in execArgv.
  const missing = missingNodeFlags([...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)]);
  if (missing.length > 0)
    server.logger.info(
      { missing },
      "node was started without the server's flags (src/nodeFlags.ts): GC pauses will be longer under load",
    );
  const stop = (signal: string) => {
    server.logger.info({ signal }, "stop requested");
    setTimeout(() => {
      server.logger.error("shutdown took too long, exiting");
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

startProcess().catch((error: unknown) => {
  process.stderr.write(`Parley cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
