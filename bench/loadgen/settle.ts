/**
 * Waiting for a server to go quiet after a traffic run. A server may defer work past the run:
 * Parley's webhook deliveries give way to chat while its event loop is busy and catch up after
 * the burst. Counting CPU only until the last message arrived would leave that work out of the
 * CPU per message, and the next run (a capacity step) would start with the backlog still
 * draining beside it. So a run ends when the server's CPU is back near its idle rate.
 */
import { performance } from "node:perf_hooks";
import { sleep, type MeasuredServer } from "../processes.js";

/** Each look at the server's CPU rate spans this long. */
const WINDOW_MS = 500;
/**
 * Quiet for this many windows in a row: one quiet window can fall between two batches. A window
 * of 500 ms reads CPU time to 20 ms/s (the kernel counts it in 10 ms ticks).
 */
const QUIET_WINDOWS = 2;
/** Quiet means at most the idle rate plus this much (ms per second: 5 % of a core). */
const QUIET_MARGIN_MS_PER_S = 50;

export interface Settled {
  /** Time from the call until the server was quiet (or the limit). */
  waitedMs: number;
  /** False when the server was still busy at the limit. */
  quiet: boolean;
}

/** The server's CPU rate over the next `windowMs`, in ms per second. */
export async function cpuRateOver(server: MeasuredServer, windowMs: number): Promise<number> {
  const before = server.cpuMs();
  const started = performance.now();
  await sleep(windowMs);
  return (server.cpuMs() - before) / ((performance.now() - started) / 1000);
}

/** Resolves once the server's CPU rate has been near `idleCpuMsPerS` for QUIET_WINDOWS windows. */
export async function waitUntilQuiet(
  server: MeasuredServer,
  idleCpuMsPerS: number,
  maxMs: number,
): Promise<Settled> {
  const started = performance.now();
  const bound = idleCpuMsPerS + QUIET_MARGIN_MS_PER_S;
  let quietWindows = 0;
  while (performance.now() - started < maxMs) {
    quietWindows = (await cpuRateOver(server, WINDOW_MS)) <= bound ? quietWindows + 1 : 0;
    if (quietWindows >= QUIET_WINDOWS)
      return { waitedMs: Math.round(performance.now() - started), quiet: true };
  }
  return { waitedMs: Math.round(performance.now() - started), quiet: false };
}
