/**
 * Cluster mode (`--cluster`): the scenarios of one node, run on Parley as docs/scaling.md deploys
 * it (Postgres + Redis), first with one node and N visitors, then with two nodes and 2N visitors
 * (N on each). The two agents sit on different nodes, so every message crosses Redis. Before
 * them, one node on Postgres alone: what Redis itself costs a node (its memory per visitor above
 * all) is a ratio to that run, not to a figure from another day.
 *
 * The machine has two cores and no third for the load generator, so the comparison is:
 * one node on core 0 with the load on core 1, against node 1 on core 0 and node 2 on core 1 with
 * the load generator sharing both. Redis and Postgres float in both. The second configuration
 * gives the servers less than two full cores, so it understates what two machines would do.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { ServerResult } from "./benchServer.js";
import { IDENTIFIED_WAIT_MS, SeededFeatures } from "./features.js";
import { cpuPressureUs } from "./machine.js";
import type { BenchOptions } from "./options.js";
import { freePort, pinSelf, ProcessGroup, ServerProcess, sleep, type Cores } from "./processes.js";
import { startRedis } from "./redis.js";
import { capacityScenario } from "./scenarios/capacity.js";
import { chatScenario, idleCpuBeforeTraffic } from "./scenarios/chat.js";
import { connectScenario, type NodeUrls } from "./scenarios/connect.js";
import { serverCommand } from "./servers.js";
import { round } from "./stats.js";
import { freshStore } from "./stores.js";

export interface ClusterRun extends ServerResult {
  nodes: number;
  /** Whether the nodes shared Redis (false: one node on Postgres alone). Older saved runs lack it. */
  redis?: boolean;
  visitorsPerNode: number;
  /** Each node's share of one core during the chat scenario. */
  nodeCpuShares?: number[];
  /** Redis's CPU per message during the chat scenario, in ms. */
  redisCpuMsPerMessage?: number;
  /** Where each process ran. */
  placement: string;
}

const HOST = "127.0.0.1";
/** Sockets the load generator needs besides the visitors': agents, HTTP, Postgres, stdio. */
const SPARE_FILES = 200;

/** The load generator opens one socket per visitor; its open-files limit caps a run. */
export function checkFileLimit(visitorsPerNode: number, nodes: number, limit: string): void {
  const max = Number(limit);
  if (Number.isFinite(max) && visitorsPerNode * nodes + SPARE_FILES > max) {
    throw new Error(
      `${visitorsPerNode * nodes} visitors need more sockets than the open files limit (${max}) allows; ` +
        `lower --visitors or raise the limit (ulimit -n)`,
    );
  }
}

/** A configuration of the cluster run: two nodes always share Redis. */
export type ClusterShape = { nodes: 1; redis: boolean } | { nodes: 2; redis: true };

export async function benchCluster(
  { nodes: nodeCount, redis: withRedis }: ClusterShape,
  options: BenchOptions,
  cores: Cores,
  log: (line: string) => void,
): Promise<ClusterRun> {
  if (options.databaseUrl === undefined) throw new Error("--cluster needs --database-url");
  const label = withRedis ? `cluster${nodeCount}` : "single";
  const pinned = cores.server !== undefined;
  const nodeCores = nodeCount === 1 ? [cores.server] : pinned ? [0, 1] : [undefined, undefined];
  // Two nodes take both cores; the load generator has to share them.
  const loadCores = nodeCount === 1 ? cores.load : pinned ? "0,1" : undefined;
  pinSelf(loadCores);
  const placement = !pinned
    ? "not pinned"
    : nodeCount === 1
      ? `node on core ${cores.server}, load generator on core ${cores.load}`
      : "node 1 on core 0, node 2 on core 1, load generator on both";
  const visitors = options.visitors * nodeCount;
  const result: ClusterRun = {
    server: "parley",
    backend: "postgres",
    nodes: nodeCount,
    redis: withRedis,
    visitorsPerNode: options.visitors,
    placement,
  };
  const pressureBefore = cpuPressureUs();
  const started = performance.now();
  const store = await freshStore("postgres", options.databaseUrl, label);
  const redis = withRedis ? await startRedis() : undefined;
  const secretKeyBase = randomBytes(48).toString("hex");
  const nodes: ServerProcess[] = [];
  let features: SeededFeatures | undefined;
  try {
    const urls: NodeUrls[] = [];
    for (let i = 0; i < nodeCount; i++) {
      const port = await freePort();
      const command = serverCommand("parley", port, {
        ...store.env,
        ...(redis === undefined ? {} : { REDIS_URL: redis.url }),
        SECRET_KEY_BASE: secretKeyBase,
      });
      const args =
        options.profileDir === undefined
          ? command.args
          : [
              "--cpu-prof",
              `--cpu-prof-dir=${options.profileDir}`,
              `--cpu-prof-name=parley-${label}-node${i + 1}.cpuprofile`,
              ...command.args,
            ];
      const base = `http://${HOST}:${port}`;
      // One after the other: the first migrates the fresh schema and creates the agent.
      const node = ServerProcess.start({ ...command, args }, nodeCores[i]);
      nodes.push(node);
      await node.waitUntilUp(`${base}/up`);
      urls.push({ base, cable: `ws://${HOST}:${port}/cable`, host: HOST });
    }
    const group = new ProcessGroup(nodes);
    if (options.features) {
      log(`${label}: seeding a second site, labels, webhooks, notes; identifying visitors`);
      features = await SeededFeatures.seed(urls[0]!.base, urls[0]!.cable);
    }
    const plan = await features?.planVisitors(
      visitors,
      urls.map((url) => url.base),
      HOST,
    );
    log(`${label}: connecting ${visitors} visitors over ${nodeCount} node(s) and ${options.agents} agents`);
    const { result: connect, population } = await connectScenario(group, urls, {
      visitors,
      agents: options.agents,
      concurrency: options.connectConcurrency,
      ...(plan === undefined ? {} : { plan }),
    });
    result.connect = connect;
    log(`${label}: ${connect.connected} connected, p95 ${connect.confirmP95Ms} ms`);
    try {
      // The connect's identifications go out as webhook events: traffic starts once they have.
      const traffic = options.scenarios.has("chat") || options.scenarios.has("capacity");
      if (traffic && features !== undefined && !(await features.identificationsDelivered(IDENTIFIED_WAIT_MS)))
        log(`${label}: not every contact.identified event came before the traffic`);
      if (options.scenarios.has("chat")) {
        log(`${label}: chat, ${options.rate} msg/s for ${options.durationS} s`);
        const nodeCpuBefore = nodes.map((node) => node.cpuMs());
        const redisCpuBefore = redis?.cpuMs();
        const chatStarted = performance.now();
        result.chat = await chatScenario(group, population, {
          rate: options.rate,
          durationS: options.durationS,
        });
        const wallMs = performance.now() - chatStarted;
        result.nodeCpuShares = nodes.map((node, i) => round((node.cpuMs() - nodeCpuBefore[i]!) / wallMs, 3));
        if (redis !== undefined && redisCpuBefore !== undefined)
          result.redisCpuMsPerMessage = round(
            (redis.cpuMs() - redisCpuBefore) / Math.max(1, result.chat.sent),
            4,
          );
        log(
          `${label}: chat p99 ${result.chat.p99} ms, ${result.chat.serverCpuMsPerMessage} CPU ms/msg (all nodes)`,
        );
        if (features !== undefined) features.summary.webhooksAfterChat = features.receiver.snapshot();
      }
      if (options.scenarios.has("capacity")) {
        log(`${label}: capacity search`);
        result.capacity = await capacityScenario(group, population, {
          startRate: options.rate,
          stepS: options.capacityStepS,
          idleCpuMsPerS: result.chat?.idleCpuMsPerS ?? (await idleCpuBeforeTraffic(group)),
        });
        log(`${label}: capacity ${result.capacity.maxRate} msg/s`);
      }
      result.rssPeakMb = Math.round(group.peakRssBytes() / 2 ** 20);
      const pressureAfter = cpuPressureUs();
      if (pressureBefore !== undefined && pressureAfter !== undefined) {
        result.cpuPressure = round(
          (pressureAfter - pressureBefore) / 1000 / (performance.now() - started),
          3,
        );
      }
    } finally {
      population.close();
      await sleep(1000);
    }
    return result;
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await features?.stop();
    if (features !== undefined) result.features = features.summary;
    await redis?.stop();
    await store.dispose();
    pinSelf(cores.load);
  }
}
