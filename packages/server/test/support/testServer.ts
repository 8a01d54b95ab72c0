/** Starts a real Parley server on a free port with its own temporary storage. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config.js";
import { startServer, type RunningServer, type ServerOptions } from "../../src/server.js";

export const OWNER = { username: "owner", password: "correct horse battery" };
/** A site that embeds the widget (ALLOWED_ORIGINS): visitor access only. */
export const WIDGET_ORIGIN = "http://allowed.example";
/** Where an inbox runs besides the server itself (AGENT_ORIGINS): the agent's cookie counts. */
export const AGENT_ORIGIN = "http://agents.example";

export interface TestServer extends RunningServer {
  storageDir: string;
  /** Closes the server and deletes its storage. */
  dispose(): Promise<void>;
}

export async function startTestServer(
  env: Record<string, string> = {},
  storageDir?: string,
  options: ServerOptions = {},
): Promise<TestServer> {
  const dir = storageDir ?? mkdtempSync(join(tmpdir(), "parley-test-"));
  const server = await startServer(
    loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      STORAGE_DIR: dir,
      LOG_LEVEL: "silent",
      ADMIN_USER: OWNER.username,
      ADMIN_PASSWORD: OWNER.password,
      ALLOWED_ORIGINS: WIDGET_ORIGIN,
      AGENT_ORIGINS: AGENT_ORIGIN,
      ...env,
    }),
    options,
  );
  return {
    ...server,
    storageDir: dir,
    dispose: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Logs in over REST and returns the session cookie (`name=value`). */
export async function login(baseUrl: string, credentials = OWNER): Promise<string> {
  const response = await fetch(`${baseUrl}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(credentials),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const setCookie = response.headers.get("set-cookie") ?? "";
  return setCookie.split(";")[0]!;
}

export function visitorToken(): string {
  return `visitor-${crypto.randomUUID()}`;
}
