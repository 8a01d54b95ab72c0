/**
 * Every scenario against one server on one backend, on a fresh store: cold start first (it
 * needs the process to itself), then one long-lived process for connect → chat → capacity.
 */
import { capacityScenario, type CapacityResult } from "./scenarios/capacity.js";
import { chatScenario, idleCpuBeforeTraffic, type ChatResult } from "./scenarios/chat.js";
import { coldStartScenario, type ColdStartResult } from "./scenarios/coldStart.js";
import { connectScenario, type ConnectResult } from "./scenarios/connect.js";
import { performance } from "node:perf_hooks";
import { IDENTIFIED_WAIT_MS, SeededFeatures, type FeaturesSummary } from "./features.js";
import { cpuPressureUs } from "./machine.js";
import type { BenchOptions } from "./options.js";
import { freePort, ServerProcess, sleep, type Cores } from "./processes.js";
import { serverCommand, type ServerName } from "./servers.js";
import { round } from "./stats.js";
import { freshStore, type Backend } from "./stores.js";

export interface ServerResult {
  server: ServerName;
  backend: Backend;
  coldStart?: ColdStartResult;
  connect?: ConnectResult;
  chat?: ChatResult;
  capacity?: CapacityResult;
  /** Peak RSS of the long-lived process, in MB. */
  rssPeakMb?: number;
  /** Share of the run's wall time in which some task on the machine waited for a CPU. */
  cpuPressure?: number;
  /** Parley's features switched on for the run (bench/features.ts); never the baseline's. */
  features?: FeaturesSummary;
}

const HOST = "127.0.0.1";

export async function benchServer(
  name: ServerName,
  backend: Backend,
  options: BenchOptions,
  cores: Cores,
  log: (line: string) => void,
): Promise<ServerResult> {
  const result: ServerResult = { server: name, backend };
  const pressureBefore = cpuPressureUs();
  const started = performance.now();
  const store = await freshStore(backend, options.databaseUrl, name);
  try {
    const port = await freePort();
    const base = `http://${HOST}:${port}`;
    const urls = { base, cable: `ws://${HOST}:${port}/cable`, host: HOST };
    const command = serverCommand(name, port, store.env);
    if (options.scenarios.has("coldstart")) {
      log(`${name}/${backend}: cold start`);
      result.coldStart = await coldStartScenario(command, `${base}/up`, cores.server);
    }
    if (!options.scenarios.has("connect")) return result;

    const profiled =
      options.profileDir === undefined
        ? command
        : {
            ...command,
            args: [
              "--cpu-prof",
              `--cpu-prof-dir=${options.profileDir}`,
              `--cpu-prof-name=${name}-${backend}.cpuprofile`,
              ...command.args,
            ],
          };
    const server = ServerProcess.start(profiled, cores.server);
    let features: SeededFeatures | undefined;
    try {
      await server.waitUntilUp(`${base}/up`);
      if (name === "parley" && options.features) {
        log(`${name}/${backend}: seeding a second site, labels, webhooks, notes; identifying visitors`);
        features = await SeededFeatures.seed(base, urls.cable);
      }
      const plan = await features?.planVisitors(options.visitors, [base], HOST);
      log(`${name}/${backend}: connecting ${options.visitors} visitors and ${options.agents} agents`);
      const { result: connect, population } = await connectScenario(server, [urls], {
        visitors: options.visitors,
        agents: options.agents,
        concurrency: options.connectConcurrency,
        ...(plan === undefined ? {} : { plan }),
      });
      result.connect = connect;
      log(
        `${name}/${backend}: ${connect.connected} connected, p95 ${connect.confirmP95Ms} ms, ${connect.rssPerVisitorKb} KB each`,
      );
      try {
        // The connect's identifications go out as webhook events: traffic starts once they have.
        const traffic = options.scenarios.has("chat") || options.scenarios.has("capacity");
        if (
          traffic &&
          features !== undefined &&
          !(await features.identificationsDelivered(IDENTIFIED_WAIT_MS))
        )
          log(`${name}/${backend}: not every contact.identified event came before the traffic`);
        if (options.scenarios.has("chat")) {
          log(`${name}/${backend}: chat, ${options.rate} msg/s for ${options.durationS} s`);
          result.chat = await chatScenario(server, population, {
            rate: options.rate,
            durationS: options.durationS,
          });
          log(
            `${name}/${backend}: chat p99 ${result.chat.p99} ms, ${result.chat.serverCpuMsPerMessage} CPU ms/msg, settled in ${result.chat.settleMs} ms`,
          );
          if (features !== undefined) features.summary.webhooksAfterChat = features.receiver.snapshot();
        }
        if (options.scenarios.has("capacity")) {
          log(`${name}/${backend}: capacity search`);
          result.capacity = await capacityScenario(server, population, {
            startRate: options.rate,
            stepS: options.capacityStepS,
            idleCpuMsPerS: result.chat?.idleCpuMsPerS ?? (await idleCpuBeforeTraffic(server)),
          });
          log(`${name}/${backend}: capacity ${result.capacity.maxRate} msg/s`);
        }
        result.rssPeakMb = Math.round(server.peakRssBytes() / 2 ** 20);
        const pressureAfter = cpuPressureUs();
        if (pressureBefore !== undefined && pressureAfter !== undefined) {
          result.cpuPressure = round(
            (pressureAfter - pressureBefore) / 1000 / (performance.now() - started),
            3,
          );
        }
      } finally {
        population.close();
        // Give the server a moment to see the sockets go before it is stopped.
        await sleep(1000);
      }
    } finally {
      await server.stop();
      await features?.stop();
      if (features !== undefined) result.features = features.summary;
    }
    return result;
  } finally {
    await store.dispose();
  }
}
