/**
 * A process that boots a node from its environment and expects the boot to fail. It never calls
 * process.exit: it ends by itself only if the failed boot left nothing open (no database pool,
 * Redis client, listener or timer that holds the event loop).
 */
import { loadConfig } from "../../../src/config.js";
import { startServer } from "../../../src/server.js";

try {
  await startServer(loadConfig(process.env));
  process.stdout.write("started\n");
} catch (error) {
  process.stdout.write(`failed: ${error instanceof Error ? error.message : String(error)}\n`);
}
