/**
 * Scenario 1, connect: agents log in, then N visitors connect and subscribe, `concurrency` at a
 * time. Time to confirmation, failures, and the server's RSS growth per visitor connection.
 * With several nodes (cluster mode) visitors go round-robin over them and so do the agents, so
 * the two agents of the default run sit on different nodes.
 */
import { connectAgents } from "../loadgen/agents.js";
import { Population } from "../loadgen/population.js";
import { connectVisitors, type VisitorPlan } from "../loadgen/visitors.js";
import { sleep, type MeasuredServer } from "../processes.js";
import { AGENT_PASSWORD, AGENT_USERNAME } from "../servers.js";
import { round, summarize } from "../stats.js";

export interface ConnectResult {
  visitors: number;
  connected: number;
  failures: number;
  firstFailure?: string;
  confirmP50Ms: number;
  confirmP95Ms: number;
  confirmMaxMs: number;
  /** Visitors connected per second of wall time. */
  connectsPerS: number;
  /** Shares of one core used while connecting, by the server and by the load generator. */
  serverCpuShare: number;
  loadCpuShare: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssPerVisitorKb: number;
  serverOpenFiles: number;
}

/** After the last connection, RSS is read once allocation has settled. */
const SETTLE_MS = 3000;

export interface NodeUrls {
  base: string;
  cable: string;
  host: string;
}

export async function connectScenario(
  server: MeasuredServer,
  nodes: readonly NodeUrls[],
  options: {
    visitors: number;
    agents: number;
    concurrency: number;
    settleMs?: number;
    /** Each visitor's site and token (Parley's features on); fresh tokens on the default site without. */
    plan?: VisitorPlan;
  },
): Promise<{ result: ConnectResult; population: Population }> {
  const agents = await connectAgents(nodes, options.agents, {
    username: AGENT_USERNAME,
    password: AGENT_PASSWORD,
  });
  const settleMs = options.settleMs ?? SETTLE_MS;
  await sleep(settleMs);
  const rssBefore = server.rssBytes();
  const serverCpuBefore = server.cpuMs();
  const connected = await connectVisitors(
    nodes.map((node) => node.cable),
    nodes[0]!.host,
    options.visitors,
    options.concurrency,
    options.plan,
  );
  const serverCpuMs = server.cpuMs() - serverCpuBefore;
  await sleep(settleMs);
  const rssAfter = server.rssBytes();
  const confirm = summarize(connected.confirmMs);
  const count = connected.visitors.length;
  const result: ConnectResult = {
    visitors: options.visitors,
    connected: count,
    failures: connected.failures,
    ...(connected.firstFailure === undefined ? {} : { firstFailure: connected.firstFailure }),
    confirmP50Ms: confirm.p50,
    confirmP95Ms: confirm.p95,
    confirmMaxMs: confirm.max,
    connectsPerS: round(count / (connected.wallMs / 1000), 0),
    serverCpuShare: round(serverCpuMs / connected.wallMs, 3),
    loadCpuShare: round(connected.loadCpuShare, 3),
    rssBeforeMb: round(rssBefore / 2 ** 20, 1),
    rssAfterMb: round(rssAfter / 2 ** 20, 1),
    rssPerVisitorKb: round((rssAfter - rssBefore) / 1024 / Math.max(1, count), 2),
    serverOpenFiles: server.openFiles(),
  };
  return { result, population: new Population(connected.visitors, agents) };
}
