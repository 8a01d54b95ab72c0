/**
 * One traffic run: R messages a second from random visitors for D seconds, then a grace period
 * for stragglers. Measures delivery latency, what never arrived, the server's CPU per message and
 * how busy this process (the load generator) was, to show it was not the limit.
 */
import { performance } from "node:perf_hooks";
import type { MeasuredServer } from "../processes.js";
import { sleep } from "../processes.js";
import { round, summarize, type LatencySummary } from "../stats.js";
import { DeliveryTracker } from "./deliveries.js";
import type { Population } from "./population.js";

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
  /** Server CPU from the first send until everything arrived, per message, idle work subtracted. */
  serverCpuMsPerMessage: number;
  /** The same without subtracting idle work (pings). */
  serverCpuMsPerMessageGross: number;
  /** Share of one core the server used during the run. */
  serverCpuShare: number;
  /** Share of one core this process used: near 1 means the load generator, not the server, was the limit. */
  loadCpuShare: number;
}

const TICK_MS = 2;
const CONTENT = "Hello! I have a question about my order, could somebody help me please?";

let runSeq = 0;

export async function runTraffic(
  population: Population,
  server: MeasuredServer,
  options: { rate: number; durationS: number; graceMs: number; idleCpuMsPerS: number },
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

  const echo = summarize(tracker.echoMs);
  const agents = summarize(tracker.agentMs);
  const missing = tracker.missing();
  const netCpuMs = Math.max(0, serverCpuMs - (options.idleCpuMsPerS * wallMs) / 1000);
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
    serverCpuMsPerMessage: round(netCpuMs / Math.max(1, sent), 4),
    serverCpuMsPerMessageGross: round(serverCpuMs / Math.max(1, sent), 4),
    serverCpuShare: round(serverCpuMs / wallMs, 3),
    loadCpuShare: round((loadCpu.user + loadCpu.system) / 1000 / wallMs, 3),
  };
}

/** The server's CPU use while connected and quiet (pings, timers), in ms per second. */
export async function idleCpuRate(server: MeasuredServer, windowMs: number): Promise<number> {
  const before = server.cpuMs();
  const started = performance.now();
  await sleep(windowMs);
  return round((server.cpuMs() - before) / ((performance.now() - started) / 1000), 3);
}
