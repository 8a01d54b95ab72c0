/**
 * `npm run bench`: builds, then runs every scenario against Parley and the baseline on each
 * store backend, the servers pinned to one core and this process (the load) to the other.
 * Prints a table, writes JSON, and keeps the latest full run in docs/benchmarks.md.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { buildBaseline } from "./baseline/build.js";
import { benchServer, type ServerResult } from "./benchServer.js";
import { benchCluster, checkFileLimit } from "./cluster.js";
import { updateBenchmarksDoc } from "./docs.js";
import { warmUpLoadGenerator } from "./warmUp.js";
import { describeMachine } from "./machine.js";
import { parseOptions, USAGE, type BenchOptions } from "./options.js";
import { chooseCores, pinSelf } from "./processes.js";
import {
  formatClusterMarkdown,
  formatClusterText,
  formatMarkdown,
  formatText,
  type BenchReport,
} from "./report.js";
import { formatStandalone, runStandalone } from "./reliability/standalone.js";
import { widgetScenario } from "./scenarios/widget.js";
import { REPO_ROOT, useParleyEntry } from "./servers.js";
import type { Backend } from "./stores.js";
import { checkClusterTargets, checkTargets } from "./targets.js";

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // Before any scenario: the reliability ones (below) measure the chosen build too.
  if (options.parleyEntry !== undefined) useParleyEntry(resolve(REPO_ROOT, options.parleyEntry));
  if (options.scenarios.size === 0) {
    await runStandaloneScenarios(options);
    return;
  }
  if (options.fromJson !== undefined) {
    const saved = JSON.parse(readFileSync(resolve(REPO_ROOT, options.fromJson), "utf8")) as BenchReport;
    process.stdout.write(`${saved.cluster === undefined ? formatText(saved) : formatClusterText(saved)}\n`);
    if (options.updateDocs) record(saved);
    return;
  }
  if (options.build) {
    log("building (npm run build)");
    const built = spawnSync("npm", ["run", "build", "--silent"], { cwd: REPO_ROOT, stdio: "inherit" });
    if (built.status !== 0) throw new Error("npm run build failed");
  }
  await buildBaseline();

  if (options.cluster)
    checkFileLimit(options.visitors, 2, describeMachine(chooseCores(false)).openFilesLimit);
  const cores = chooseCores(options.pin);
  pinSelf(cores.load);
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    machine: describeMachine(cores),
    settings: {
      visitors: options.visitors,
      agents: options.agents,
      rate: options.rate,
      durationS: options.durationS,
      quick: options.quick,
    },
    ...(options.scenarios.has("coldstart") ? { widget: widgetScenario() } : {}),
    backends: [],
  };
  log(
    `machine: ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.pinned}, load ${report.machine.loadAverageAtStart}`,
  );

  if (options.scenarios.has("connect")) {
    log("warming up the load generator (unmeasured)");
    await warmUpLoadGenerator(options.agents, cores);
  }
  const backends: Backend[] = [];
  if (options.cluster) {
    const noRedis = await benchCluster({ nodes: 1, redis: false }, options, cores, log);
    const oneNode = await benchCluster({ nodes: 1, redis: true }, options, cores, log);
    const twoNodes = await benchCluster({ nodes: 2, redis: true }, options, cores, log);
    report.cluster = {
      noRedis,
      oneNode,
      twoNodes,
      targets: checkClusterTargets(oneNode, twoNodes, noRedis),
    };
  } else {
    if (options.sqlite) backends.push("sqlite");
    if (options.databaseUrl !== undefined) backends.push("postgres");
  }
  for (const backend of backends) {
    const parley = await benchServer("parley", backend, options, cores, log);
    let baseline: ServerResult | undefined;
    if (options.baseline) baseline = await benchServer("baseline", backend, options, cores, log);
    report.backends.push({
      backend,
      parley,
      ...(baseline === undefined ? {} : { baseline }),
      targets: checkTargets(parley, baseline, backend),
    });
  }

  process.stdout.write(`${report.cluster === undefined ? formatText(report) : formatClusterText(report)}\n`);
  const jsonFile = resolve(REPO_ROOT, options.jsonFile);
  mkdirSync(dirname(jsonFile), { recursive: true });
  writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  log(`JSON written to ${options.jsonFile}`);
  if (options.updateDocs) record(report);
  await runStandaloneScenarios(options);
}

/** The reliability scenarios asked for, one after another, each with its JSON in bench/results. */
async function runStandaloneScenarios(options: BenchOptions): Promise<void> {
  let failed = 0;
  for (const name of options.standalone) {
    log(`reliability scenario: ${name}`);
    const result = await runStandalone(name, options, log);
    process.stdout.write(`${formatStandalone(result)}\n`);
    const jsonFile = resolve(REPO_ROOT, `bench/results/reliability-${name}.json`);
    mkdirSync(dirname(jsonFile), { recursive: true });
    writeFileSync(jsonFile, `${JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2)}\n`);
    if (!result.held) failed += 1;
  }
  if (failed > 0) throw new Error(`${failed} reliability scenario(s) did not hold`);
}

/** A full run's tables into docs/benchmarks.md: the cluster block or the main one. */
function record(report: BenchReport): void {
  const file =
    report.cluster === undefined
      ? updateBenchmarksDoc(formatMarkdown(report))
      : updateBenchmarksDoc(formatClusterMarkdown(report), "cluster");
  log(`results written to ${file}`);
}

main().then(
  // Open client sockets and timers must not keep the process alive after the report.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
