/**
 * The server under fuzz: the real `main.ts` in its own process (so a crash is an exit, not a
 * test failure in the same heap), on its own SQLite file, with the per-address limits lifted so
 * that every generated case reaches the code behind them rather than a 429.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { residentBytes, startNode, type NodeProcess } from "../../support/processes.js";
import { AGENT_ORIGIN, OWNER, WIDGET_ORIGIN, login } from "../../support/testServer.js";

export interface FuzzServer {
  url: string;
  node: NodeProcess;
  storageDir: string;
  /** The owner's session cookie (`name=value`). */
  cookie: string;
  /** A read_write API token of the owner. */
  apiToken: string;
  /** Log lines so far that say the server failed: errors, fatals, unhandled rejections. */
  failures(): string[];
  rss(): number;
  /** Whether the process is still running. */
  alive(): boolean;
  dispose(): Promise<void>;
}

/** Lines of the server's output that no input may cause. */
export function failureLines(output: string): string[] {
  return output.split("\n").filter((line) => {
    if (/unhandled|uncaught|FATAL|heap out of memory/i.test(line)) return true;
    const level = /"level":(\d+)/.exec(line)?.[1];
    return level !== undefined && Number(level) >= 50;
  });
}

export async function startFuzzServer(env: Record<string, string> = {}): Promise<FuzzServer> {
  const storageDir = mkdtempSync(join(tmpdir(), "parley-fuzz-"));
  const node = await startNode({
    STORAGE_DIR: storageDir,
    LOG_LEVEL: "warn",
    NODE_ENV: "test",
    ADMIN_USER: OWNER.username,
    ADMIN_PASSWORD: OWNER.password,
    ALLOWED_ORIGINS: WIDGET_ORIGIN,
    AGENT_ORIGINS: AGENT_ORIGIN,
    RATE_LIMIT_PER_MINUTE: "100000",
    NEW_CONVERSATIONS_PER_IP_PER_HOUR: "1000000",
    UPLOADS_PER_IP_PER_HOUR: "1000000",
    UPLOAD_BYTES_PER_IP_MB: "0",
    API_REQUESTS_PER_MINUTE: "1000000",
    MAX_CONNECTIONS_PER_ADDRESS: "0",
    ...env,
  });
  let gone = false;
  void node.exited.then(() => (gone = true));
  const cookie = await login(node.url);
  const created = await fetch(`${node.url}/api_tokens`, {
    method: "POST",
    headers: { cookie, origin: node.url, "content-type": "application/json" },
    body: JSON.stringify({ name: "fuzz", scope: "read_write" }),
  });
  if (created.status !== 201) throw new Error(`api token: ${created.status} ${await created.text()}`);
  const { token } = (await created.json()) as { token: string };
  return {
    url: node.url,
    node,
    storageDir,
    cookie,
    apiToken: token,
    failures: () => failureLines(node.output()),
    rss: () => residentBytes(node.pid),
    alive: () => !gone,
    dispose: async () => {
      if (!gone) {
        node.kill("SIGTERM");
        await node.exited;
      }
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}
