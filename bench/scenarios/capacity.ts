/**
 * Scenario 3, capacity: the highest message rate at which p99 delivery stays within the target
 * and nothing goes missing. Rates grow by half until a step fails, then the gap is bisected.
 */
import type { Population } from "../loadgen/population.js";
import { runTraffic, SETTLE_MAX_MS, type TrafficResult } from "../loadgen/traffic.js";
import { sleep, type MeasuredServer } from "../processes.js";
import { GRACE_MS } from "./chat.js";

export const P99_TARGET_MS = 25;
/** Above this share of its core the load generator may be what fails a step; the search stops. */
const LOAD_SATURATED = 0.85;
const MAX_RATE = 50_000;
const BISECTIONS = 3;

export interface CapacityStep {
  rate: number;
  p99: number;
  missing: number;
  serverCpuShare: number;
  loadCpuShare: number;
  /** How long the server took to finish the step's deferred work after it. */
  settleMs: number;
  passed: boolean;
}

export interface CapacityResult {
  /** The highest passing rate (messages/s); 0 when even the first step failed. */
  maxRate: number;
  /** True when the search stopped because the load generator, not the server, ran out of CPU. */
  loadBound: boolean;
  steps: CapacityStep[];
}

function passed(result: TrafficResult): boolean {
  return (
    result.p99 <= P99_TARGET_MS &&
    result.missingEchoes === 0 &&
    result.missingAgentDeliveries === 0 &&
    result.refusals === 0 &&
    result.dropped === 0
  );
}

export async function capacityScenario(
  server: MeasuredServer,
  population: Population,
  options: { startRate: number; stepS: number; idleCpuMsPerS: number },
): Promise<CapacityResult> {
  const steps: CapacityStep[] = [];
  let loadBound = false;
  const step = async (rate: number): Promise<boolean> => {
    const result = await runTraffic(population, server, {
      rate: Math.round(rate),
      durationS: options.stepS,
      graceMs: GRACE_MS,
      idleCpuMsPerS: options.idleCpuMsPerS,
      // Each step starts with the previous one's deferred work done, as the first one does.
      settleMaxMs: SETTLE_MAX_MS,
    });
    const ok = passed(result);
    steps.push({
      rate: result.rate,
      p99: result.p99,
      missing: result.missingEchoes + result.missingAgentDeliveries,
      serverCpuShare: result.serverCpuShare,
      loadCpuShare: result.loadCpuShare,
      settleMs: result.settleMs,
      passed: ok,
    });
    if (result.loadCpuShare > LOAD_SATURATED) loadBound = true;
    // Let a failed step's stragglers arrive before the next one starts.
    await sleep(ok ? 500 : 3000);
    return ok;
  };

  let good = 0;
  let bad = 0;
  for (let rate = options.startRate; rate <= MAX_RATE && !loadBound; rate = Math.round(rate * 1.5)) {
    if (await step(rate)) good = rate;
    else {
      bad = rate;
      break;
    }
  }
  for (let i = 0; i < BISECTIONS && bad > 0 && !loadBound && bad - good > bad * 0.05; i++) {
    const rate = Math.round((good + bad) / 2);
    if (await step(rate)) good = rate;
    else bad = rate;
  }
  return { maxRate: good, loadBound, steps };
}
