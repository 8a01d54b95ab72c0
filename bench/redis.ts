/**
 * A private Redis for the cluster run: `redis-server` on a free loopback port, nothing on disk
 * (`--save "" --appendonly no`, as docs/scaling.md recommends), stopped at the end. A fresh one
 * for each configuration, so no presence entry or channel of an earlier run is left over.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { performance } from "node:perf_hooks";
import { freePort, processCpuMs, sleep } from "./processes.js";

export interface PrivateRedis {
  url: string;
  pid: number;
  /** Redis's CPU time so far (it is one more process the cluster costs). */
  cpuMs(): number;
  stop(): Promise<void>;
}

export async function startRedis(timeoutMs = 10_000): Promise<PrivateRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--loglevel",
      "warning",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const spawned = new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (error) => reject(new Error(`redis-server could not start: ${error.message}`)));
  });
  await spawned;
  const deadline = performance.now() + timeoutMs;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${stderr}`);
    if (performance.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not answer within ${timeoutMs} ms: ${stderr}`);
    }
    await sleep(20);
  }
  const pid = child.pid!;
  return {
    url: `redis://127.0.0.1:${port}`,
    pid,
    cpuMs: () => processCpuMs(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** One inline PING; true on `+PONG`. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString("utf8").startsWith("+PONG")));
  });
}
