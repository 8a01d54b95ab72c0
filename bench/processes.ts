/**
 * The server under test as a separate process: started pinned to its core, watched through /proc
 * (CPU ticks, RSS), stopped with SIGTERM. Nothing here knows which server it runs.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { performance } from "node:perf_hooks";

export interface ServerCommand {
  /** Flags for node itself (e.g. --cpu-prof), then the script and its arguments. */
  args: string[];
  env: Record<string, string>;
}

/** The core the server gets and the core the load generator (this process) keeps. */
export interface Cores {
  server: number | undefined;
  load: number | undefined;
}

export function chooseCores(pin: boolean): Cores {
  const usable = pin && availableParallelism() >= 2 && spawnSync("taskset", ["-V"]).status === 0;
  return usable ? { server: 0, load: 1 } : { server: undefined, load: undefined };
}

/**
 * Moves every thread of this process to `cores` (one core, or a list such as "0,1"), so the load
 * never shares the server's core; the cluster's two-node run widens it again to both cores.
 */
export function pinSelf(cores: number | string | undefined): void {
  if (cores === undefined) return;
  const result = spawnSync("taskset", ["-a", "-p", "-c", String(cores), String(process.pid)]);
  if (result.status !== 0)
    throw new Error(`taskset could not pin the load generator: ${String(result.stderr)}`);
}

const TICKS_PER_SECOND = Number(spawnSync("getconf", ["CLK_TCK"]).stdout?.toString().trim() || "100");

/** What the scenarios read from a server: one process, or the sum over a cluster's nodes. */
export interface MeasuredServer {
  /** CPU time (user + system) in milliseconds. */
  cpuMs(): number;
  rssBytes(): number;
  peakRssBytes(): number;
  openFiles(): number;
}

/** CPU time (user + system, all threads) of any process, with the kernel's tick resolution. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Several server processes (a cluster's nodes) measured as one: every figure is their sum. */
export class ProcessGroup implements MeasuredServer {
  constructor(readonly members: readonly MeasuredServer[]) {}

  cpuMs(): number {
    return this.sum((member) => member.cpuMs());
  }

  rssBytes(): number {
    return this.sum((member) => member.rssBytes());
  }

  /** The sum of each member's own peak: an upper bound of the group's peak. */
  peakRssBytes(): number {
    return this.sum((member) => member.peakRssBytes());
  }

  openFiles(): number {
    return this.sum((member) => member.openFiles());
  }

  private sum(pick: (member: MeasuredServer) => number): number {
    return this.members.reduce((total, member) => total + pick(member), 0);
  }
}

export class ServerProcess implements MeasuredServer {
  private readonly output: string[] = [];
  readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly startedAt: number,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString("utf8"));
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  static start(command: ServerCommand, core: number | undefined): ServerProcess {
    const nodeArgs = [...command.args];
    // taskset execs node, so the child's pid is node's own and /proc/<pid> describes the server.
    const [file, args] =
      core === undefined
        ? [process.execPath, nodeArgs]
        : ["taskset", ["-c", String(core), process.execPath, ...nodeArgs]];
    const child = spawn(file, args, {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...command.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    return new ServerProcess(child, performance.now());
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error("server process did not start");
    return this.child.pid;
  }

  /** Recent console output, for error messages. */
  get recentOutput(): string {
    return this.output.join("").slice(-4000);
  }

  /** CPU time (user + system, all threads) in milliseconds, with the kernel's tick resolution. */
  cpuMs(): number {
    return processCpuMs(this.pid);
  }

  /** Resident memory now. */
  rssBytes(): number {
    return this.statusBytes("VmRSS");
  }

  /** The most resident memory the process has had. */
  peakRssBytes(): number {
    return this.statusBytes("VmHWM");
  }

  private statusBytes(field: string): number {
    const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1];
    if (kb === undefined) throw new Error(`no ${field} in /proc status`);
    return Number(kb) * 1024;
  }

  openFiles(): number {
    return readdirSync(`/proc/${this.pid}/fd`).length;
  }

  /** Polls `url` until it answers 200; returns milliseconds since the process was spawned. */
  async waitUntilUp(url: string, timeoutMs = 30_000): Promise<number> {
    const deadline = this.startedAt + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    while (performance.now() < deadline) {
      if (exitCode !== undefined)
        throw new Error(`server exited with ${exitCode} before it was up:\n${this.recentOutput}`);
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        if (response.status === 200) return performance.now() - this.startedAt;
      } catch {
        // Not listening yet.
      }
      await sleep(5);
    }
    throw new Error(`server was not up within ${timeoutMs} ms:\n${this.recentOutput}`);
  }

  /** SIGTERM, then SIGKILL if it lingers. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address !== null
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}
