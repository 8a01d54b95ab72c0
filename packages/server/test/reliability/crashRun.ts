/**
 * Crash safety on SQLite (docs/reliability.md): one node, a real child process on its own SQLite
 * file, is killed with SIGKILL at random moments under traffic and started again each time, while
 * retrying visitors keep sending. Shared by the quick test and the bench scenario, which only
 * differ in size.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sqlitePath } from "../../src/store/sqliteDatabase.js";
import { startNode, type NodeProcess } from "../support/processes.js";
import { RELIABILITY_ORIGIN, VisitorTraffic } from "../support/retryingVisitors.js";
import { checkStored, type StoredCheck } from "./sqliteChecks.js";

export interface CrashRunOptions {
  visitors: number;
  /** Messages a second, all visitors together. */
  rate: number;
  kills: number;
  /** The node lives a random time in [minUpMs, maxUpMs] before each kill. */
  minUpMs: number;
  maxUpMs: number;
  /** How long the visitors may take to get every send echoed at the end. */
  drainMs: number;
  log?: (line: string) => void;
}

export interface CrashRunResult {
  kills: number;
  sent: number;
  echoed: number;
  /** Sends never echoed, even after the final drain. */
  lost: number;
  refusals: number;
  firstRefusal: string | undefined;
  duplicateEchoes: number;
  /** The check after each restart, then the final one on the stopped node's file. */
  checks: StoredCheck[];
  /** Milliseconds from each kill until the restarted node answered /up. */
  restartMs: number[];
}

/** The environment of a node the reliability runs start: visitors only, no limits in the way. */
export function reliabilityEnv(storageDir: string): Record<string, string> {
  return {
    STORAGE_DIR: storageDir,
    ALLOWED_ORIGINS: RELIABILITY_ORIGIN,
    SECRET_KEY_BASE: "reliability-runs-secret-key-base-0123456789abcdef",
    RATE_LIMIT_PER_MINUTE: "100000",
    NEW_CONVERSATIONS_PER_IP_PER_HOUR: "0",
    MAX_CONNECTIONS_PER_ADDRESS: "0",
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function crashRun(options: CrashRunOptions): Promise<CrashRunResult> {
  const log = options.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), "parley-crash-"));
  const env = reliabilityEnv(dir);
  let node: NodeProcess | undefined = await startNode(env);
  let url: string | undefined = node.url;
  const traffic = new VisitorTraffic(() => url, options.visitors, options.rate);
  const checks: StoredCheck[] = [];
  const restartMs: number[] = [];
  try {
    traffic.start();
    for (let kill = 1; kill <= options.kills; kill++) {
      await sleep(options.minUpMs + Math.random() * (options.maxUpMs - options.minUpMs));
      url = undefined;
      const killedAt = Date.now();
      node.kill("SIGKILL");
      await node.exited;
      node = undefined;
      node = await startNode(env);
      url = node.url;
      restartMs.push(Date.now() - killedAt);
      const check = checkStored(sqlitePath(dir), traffic.visitors);
      checks.push(check);
      log(
        `kill ${kill}/${options.kills}: sent ${traffic.sent()}, echoed ${traffic.echoed()}, stored ${check.storedRows}, ` +
          `integrity ${check.integrity}, duplicates ${check.duplicates}, echoed but missing ${check.echoedButMissing}`,
      );
    }
    traffic.stop();
    const lost = await traffic.drain(options.drainMs);
    node.kill("SIGTERM");
    await node.exited;
    node = undefined;
    checks.push(checkStored(sqlitePath(dir), traffic.visitors));
    return {
      kills: options.kills,
      sent: traffic.sent(),
      echoed: traffic.echoed(),
      lost,
      refusals: traffic.refusals(),
      firstRefusal: traffic.firstRefusal(),
      duplicateEchoes: traffic.duplicateEchoes(),
      checks,
      restartMs,
    };
  } finally {
    traffic.close();
    if (node !== undefined) {
      node.kill("SIGKILL");
      await node.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
