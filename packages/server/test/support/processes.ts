/** Real processes for multi-node tests: Parley nodes and a private Redis the test may restart. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, Socket } from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface NodeProcess {
  url: string;
  port: number;
  /** The node's process id, to read its memory from /proc. */
  pid: number;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Starts `packages/server/src/main.ts` as its own process and waits until `/up` answers.
 * `nodeArgs` go to Node before the script (e.g. `--inspect=…` for a test that reads the heap).
 */
export async function startNode(env: Record<string, string>, nodeArgs: string[] = []): Promise<NodeProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, "--conditions=source", "--import", "tsx", "packages/server/src/main.ts"],
    {
      env: { ...process.env, LOG_LEVEL: "warn", ...env, PORT: String(port), HOST: "127.0.0.1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  // A node that does not come up is killed, so no straggler keeps the test process alive.
  const booted = waitFor(
    async () => {
      if (gone) throw new Error(`node exited at boot:\n${output}`);
      try {
        return (await fetch(`${url}/up`)).status === 200;
      } catch {
        return false;
      }
    },
    `a node on ${port}`,
    60_000,
  );
  await booted.catch((error: unknown) => {
    child.kill("SIGKILL");
    throw error;
  });
  return {
    url,
    port,
    pid: child.pid!,
    output: () => output,
    exited,
    kill: (signal = "SIGTERM") => child.kill(signal),
  };
}

/** Runs `parley <args>` (packages/server/src/cli.ts) as its own process, as an operator would. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "packages/server/src/cli.ts", ...args],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
}

/** Memory the process holds right now (VmRSS), in bytes. */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

export const REDIS_SERVER = "/usr/bin/redis-server";

export interface RedisProcess {
  url: string;
  stop(): Promise<void>;
  /** Kills Redis at once (its pub/sub forgets everything) and starts it again on the same port. */
  restart(downMs?: number): Promise<void>;
}

/** A private redis-server, so a test can cut it without disturbing anyone else's Redis. */
export async function startRedis(): Promise<RedisProcess> {
  if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} is not installed`);
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(
      REDIS_SERVER,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      {
        stdio: "ignore",
      },
    );
    await waitFor(
      () =>
        new Promise<boolean>((resolve) => {
          const socket = new Socket();
          socket.once("connect", () => {
            socket.destroy();
            resolve(true);
          });
          socket.once("error", () => resolve(false));
          socket.connect(port, "127.0.0.1");
        }),
      "redis-server",
    );
  };
  const stop = async () => {
    const current = child;
    if (current === undefined || current.exitCode !== null) return;
    const done = new Promise((resolve) => current.once("exit", resolve));
    current.kill("SIGKILL");
    await done;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    restart: async (downMs = 500) => {
      await stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await launch();
    },
  };
}
