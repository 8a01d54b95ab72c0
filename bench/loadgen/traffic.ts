/**
 * One traffic run: R messages a second from random visitors for D seconds, then a grace period
 * for stragglers, then a wait for the server to finish what it deferred (settle.ts). Measures
 * delivery latency, what never arrived, the server's CPU per message and how busy this process
 * (the load generator) was, to show it was not the limit.
 */
import { performance } from "node:perf_hooks";
import type { MeasuredServer } from "../processes.js";
import { sleep } from "../processes.js";
import { round, summarize, type LatencySummary } from "../stats.js";
import { DeliveryTracker } from "./deliveries.js";
import type { Population } from "./population.js";
import { cpuRateOver, waitUntilQuiet } from "./settle.js";

export interface TrafficResult {
  rate: number;
  durationS: number;
  sent: number;
  echo: LatencySummary;
  agents: LatencySummary;
  /** The worse of the two p99s: what the targets are about. */
  p99: number;
  missingEchoes: number;
  missingAgentDeliveries: number;
  refusals: number;
  firstRefusal?: string;
  dropped: number;
  /**
   * Server CPU from the first send until the server went quiet again, per message, idle work
   * subtracted: what the messages cost, work deferred past the run (webhook deliveries) included.
   */
  serverCpuMsPerMessage: number;
  /** The same without subtracting idle work (pings). */
  serverCpuMsPerMessageGross: number;
  /** Server CPU from the first send until everything arrived, per message, idle work subtracted. */
  serverCpuMsPerMessageInRun: number;
  /** How long after everything arrived the server took to go quiet (its deferred work). */
  settleMs: number;
  /** False when the server was still busy when the bench stopped waiting. */
  settled: boolean;
  /** Share of one core the server used from the first send until everything arrived. */
  serverCpuShare: number;
  /** Share of one core this process used: near 1 means the load generator, not the server, was the limit. */
  loadCpuShare: number;
}

const TICK_MS = 2;
/** Idle CPU is read in slices this long (idleCpuRate). */
const IDLE_SLICE_MS = 500;
/** The longest wait for the server to go quiet after a run (chat and capacity wait). */
export const SETTLE_MAX_MS = 60_000;
const CONTENT = "Hello! I have a question about my order, could somebody help me please?";

let runSeq = 0;

export async function runTraffic(
  population: Population,
  server: MeasuredServer,
  options: {
    rate: number;
    durationS: number;
    graceMs: number;
    idleCpuMsPerS: number;
    /** Wait this long at most for the server to go quiet after the run; by default, not at all. */
    settleMaxMs?: number;
  },
): Promise<TrafficResult> {
  const { visitors } = population;
  const tracker = new DeliveryTracker(population.agents.length);
  population.tracker = tracker;
  const droppedBefore = population.dropped;
  const prefix = `r${++runSeq}-`;
  const total = Math.round(options.rate * options.durationS);

  const serverCpuBefore = server.cpuMs();
  const loadCpuBefore = process.cpuUsage();
  const started = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * options.rate));
      while (sent < due) {
        const visitor = visitors[Math.floor(Math.random() * visitors.length)]!;
        const clientId = `${prefix}${sent++}`;
        tracker.sent(clientId, performance.now());
        visitor.client.perform(visitor.identifier, {
          action: "send_message",
          content: CONTENT,
          client_id: clientId,
        });
      }
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  const graceEnd = performance.now() + options.graceMs;
  while (tracker.outstanding > 0 && performance.now() < graceEnd) await sleep(5);
  const wallMs = performance.now() - started;
  const serverCpuMs = server.cpuMs() - serverCpuBefore;
  const loadCpu = process.cpuUsage(loadCpuBefore);
  population.tracker = undefined;
  const settle =
    options.settleMaxMs === undefined
      ? { waitedMs: 0, quiet: true }
      : await waitUntilQuiet(server, options.idleCpuMsPerS, options.settleMaxMs);
  const settledWallMs = performance.now() - started;
  const settledCpuMs = server.cpuMs() - serverCpuBefore;

  const echo = summarize(tracker.echoMs);
  const agents = summarize(tracker.agentMs);
  const missing = tracker.missing();
  const netCpuMs = (cpuMs: number, ms: number) => Math.max(0, cpuMs - (options.idleCpuMsPerS * ms) / 1000);
  const perMessage = (ms: number) => round(ms / Math.max(1, sent), 4);
  return {
    rate: options.rate,
    durationS: options.durationS,
    sent,
    echo,
    agents,
    p99: Math.max(echo.p99, agents.p99),
    missingEchoes: missing.echo,
    missingAgentDeliveries: missing.agent,
    refusals: tracker.refusals,
    ...(tracker.firstRefusal === undefined ? {} : { firstRefusal: tracker.firstRefusal }),
    dropped: population.dropped - droppedBefore,
    serverCpuMsPerMessage: perMessage(netCpuMs(settledCpuMs, settledWallMs)),
    serverCpuMsPerMessageGross: perMessage(settledCpuMs),
    serverCpuMsPerMessageInRun: perMessage(netCpuMs(serverCpuMs, wallMs)),
    settleMs: settle.waitedMs,
    settled: settle.quiet,
    serverCpuShare: round(serverCpuMs / wallMs, 3),
    loadCpuShare: round((loadCpu.user + loadCpu.system) / 1000 / wallMs, 3),
  };
}

/**
 * The server's CPU use while connected and quiet (pings, timers), in ms per second: the
 * second-lowest of the window's 500 ms slices, so that work still finishing from before (the
 * deferred deliveries of the connect scenario's identifications, a garbage collection) is not
 * counted as idle, and one slice that saw a tick too few does not count either.
 */
export async function idleCpuRate(server: MeasuredServer, windowMs: number): Promise<number> {
  const rates: number[] = [];
  for (let slice = 0; slice < Math.max(2, Math.round(windowMs / IDLE_SLICE_MS)); slice++)
    rates.push(await cpuRateOver(server, IDLE_SLICE_MS));
  return round(rates.sort((a, b) => a - b)[1]!, 3);
}
