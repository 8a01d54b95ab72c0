/** The machine a run happened on, for the report: numbers mean little without it. */
import { readFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import type { Cores } from "./processes.js";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  node: string;
  openFilesLimit: string;
  pinned: string;
  /** 1-minute load average when the run started: other work on the machine shows here. */
  loadAverageAtStart: number;
}

function openFilesLimit(): string {
  const limits = readFileSync("/proc/self/limits", "utf8");
  return /Max open files\s+(\S+)/.exec(limits)?.[1] ?? "unknown";
}

export function describeMachine(cores: Cores): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    // All the machine's cores, not this process's affinity (it may already be pinned).
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    openFilesLimit: openFilesLimit(),
    pinned:
      cores.server === undefined
        ? "not pinned"
        : `server on core ${cores.server}, load generator on core ${cores.load ?? "?"} (taskset)`,
    loadAverageAtStart: Math.round(loadavg()[0]! * 100) / 100,
  };
}

/**
 * Microseconds any task on the machine has waited for a CPU (Linux pressure stall information),
 * or undefined where the kernel does not report it. Its growth during a run shows other work
 * competing for the cores, which disturbs latencies far more than CPU times.
 */
export function cpuPressureUs(): number | undefined {
  try {
    const some = /some .*total=(\d+)/.exec(readFileSync("/proc/pressure/cpu", "utf8"))?.[1];
    return some === undefined ? undefined : Number(some);
  } catch {
    return undefined;
  }
}
