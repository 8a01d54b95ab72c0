/**
 * A real Parley server in the test process, on a temporary storage directory, plus what the
 * browser needs from it: the built widget (the server reads dist/widget.js when it starts).
 * `restart()` closes and starts again on the same port and storage, like a deploy.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../packages/server/src/config.js";
import { startServer, type RunningServer } from "../../packages/server/src/server.js";

export const OWNER = { username: "owner", password: "correct horse battery staple" };

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
let widgetBuilt = false;

export function buildWidget(): void {
  if (widgetBuilt) return;
  const result = spawnSync(process.execPath, ["packages/widget/build.mjs"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`widget build failed: ${result.stderr}`);
  widgetBuilt = true;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface Parley {
  readonly url: string;
  readonly server: RunningServer;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface ParleyOptions {
  /** Sites allowed to embed the widget, e.g. a ThirdPartySite's origin. */
  allowedOrigins?: string[];
  /** Sites where an agents' inbox runs besides the server's own origin (AGENT_ORIGINS). */
  agentOrigins?: string[];
  env?: Record<string, string>;
}

export async function startParley(options: ParleyOptions = {}): Promise<Parley> {
  buildWidget();
  const storageDir = mkdtempSync(join(tmpdir(), "parley-e2e-"));
  // A fixed port, so a restart comes back where the clients reconnect to.
  const port = await freePort();
  const config = () =>
    loadConfig({
      PORT: String(port),
      HOST: "127.0.0.1",
      STORAGE_DIR: storageDir,
      ALLOWED_ORIGINS: (options.allowedOrigins ?? []).join(",") || `http://127.0.0.1:${port}`,
      AGENT_ORIGINS: (options.agentOrigins ?? []).join(","),
      ADMIN_USER: OWNER.username,
      ADMIN_PASSWORD: OWNER.password,
      LOG_LEVEL: "silent",
      NODE_ENV: "test",
      ...options.env,
    });
  let server = await startServer(config());
  let closed = false;
  return {
    get url() {
      return server.url;
    },
    get server() {
      return server;
    },
    async restart() {
      await server.close();
      server = await startServer(config());
    },
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}
