/** Bench results for the tests of targets and reports: plausible figures, each overridable. */
import type { ServerResult } from "./benchServer.js";
import type { ClusterRun } from "./cluster.js";
import type { CapacityResult } from "./scenarios/capacity.js";
import type { ChatResult } from "./scenarios/chat.js";
import type { ConnectResult } from "./scenarios/connect.js";
import type { LatencySummary } from "./stats.js";

export const latency = (p50: number, p99: number): LatencySummary => ({
  count: 1000,
  p50,
  p95: p99,
  p99,
  max: p99,
});

export function connect(over: Partial<ConnectResult> = {}): ConnectResult {
  return {
    visitors: 1000,
    connected: 1000,
    failures: 0,
    confirmP50Ms: 5,
    confirmP95Ms: 10,
    confirmMaxMs: 20,
    connectsPerS: 2000,
    serverCpuShare: 0.5,
    loadCpuShare: 0.5,
    rssBeforeMb: 50,
    rssAfterMb: 56,
    rssPerVisitorKb: 6,
    serverOpenFiles: 1020,
    ...over,
  };
}

export function chat(over: Partial<ChatResult> = {}): ChatResult {
  return {
    rate: 200,
    durationS: 5,
    sent: 1000,
    echo: latency(2, 8),
    agents: latency(2, 8),
    p99: 8,
    missingEchoes: 0,
    missingAgentDeliveries: 0,
    refusals: 0,
    dropped: 0,
    serverCpuMsPerMessage: 0.2,
    serverCpuMsPerMessageGross: 0.3,
    serverCpuMsPerMessageInRun: 0.2,
    settleMs: 500,
    settled: true,
    serverCpuShare: 0.2,
    loadCpuShare: 0.1,
    idleCpuMsPerS: 5,
    ...over,
  };
}

export const capacity = (maxRate: number, loadBound = false): CapacityResult => ({
  maxRate,
  loadBound,
  steps: [],
});

export function result(over: Partial<ServerResult> = {}): ServerResult {
  return {
    server: "parley",
    backend: "sqlite",
    connect: connect(),
    chat: chat(),
    capacity: capacity(2000),
    coldStart: { firstBootMs: 400, restartMs: 200, restarts: [200, 200, 200] },
    ...over,
  };
}

export function clusterRun(nodes: 1 | 2, over: Partial<ServerResult> = {}): ClusterRun {
  return {
    ...result({ backend: "postgres", ...over }),
    nodes,
    visitorsPerNode: 1000,
    placement: "test",
  };
}
