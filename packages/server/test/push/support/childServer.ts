/**
 * The server under test as a child process (`main.ts` from source), because NODE_EXTRA_CA_CERTS
 * is read only when a process starts: the server trusts the test's CA exactly as production
 * would trust a private one, with no test hook in its code.
 */
import { spawn } from "node:child_process";
import { OWNER } from "../../support/testServer.js";

export interface ChildServer {
  url: string;
  output(): string;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
}

export async function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "packages/server/src/main.ts"],
    {
      env: {
        ...inherited,
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "info",
        ADMIN_USER: OWNER.username,
        ADMIN_PASSWORD: OWNER.password,
        ALLOWED_ORIGINS: "http://allowed.example",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

  const deadline = Date.now() + 20_000;
  let url: string | undefined;
  while (url === undefined) {
    const line = output.split("\n").find((each) => each.includes('"msg":"Parley is listening"'));
    if (line !== undefined) url = (JSON.parse(line) as { url: string }).url;
    else if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server did not start:\n${output}`);
    } else await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
