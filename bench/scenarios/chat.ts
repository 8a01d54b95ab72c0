/** Scenario 2, chat: R messages a second from random visitors for D seconds, two agents listening. */
import type { Population } from "../loadgen/population.js";
import { idleCpuRate, runTraffic, SETTLE_MAX_MS, type TrafficResult } from "../loadgen/traffic.js";
import type { MeasuredServer } from "../processes.js";

export interface ChatResult extends TrafficResult {
  /** The server's CPU while everyone is connected and nobody writes (pings), ms per second. */
  idleCpuMsPerS: number;
}

const IDLE_WINDOW_MS = 3000;
export const GRACE_MS = 5000;

/**
 * The server's idle CPU rate as the chat reads it before it starts. The capacity search reads it
 * here when no chat ran: without it each step's wait for the server to go quiet had a bound of
 * 0 + the margin, below the pings alone, and every step waited the full minute.
 */
export function idleCpuBeforeTraffic(server: MeasuredServer): Promise<number> {
  return idleCpuRate(server, IDLE_WINDOW_MS);
}

export async function chatScenario(
  server: MeasuredServer,
  population: Population,
  options: { rate: number; durationS: number },
): Promise<ChatResult> {
  const idleCpuMsPerS = await idleCpuBeforeTraffic(server);
  const traffic = await runTraffic(population, server, {
    ...options,
    graceMs: GRACE_MS,
    idleCpuMsPerS,
    settleMaxMs: SETTLE_MAX_MS,
  });
  return { idleCpuMsPerS, ...traffic };
}
