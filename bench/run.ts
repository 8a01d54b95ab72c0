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
import { updateBenchmarksDoc } from "./docs.js";
import { warmUpLoadGenerator } from "./warmUp.js";
import { describeMachine } from "./machine.js";
import { parseOptions, USAGE } from "./options.js";
import { chooseCores, pinSelf } from "./processes.js";
import { formatMarkdown, formatText, type BenchReport } from "./report.js";
import { widgetScenario } from "./scenarios/widget.js";
import { REPO_ROOT } from "./servers.js";
import type { Backend } from "./stores.js";
import { checkTargets } from "./targets.js";

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (options.fromJson !== undefined) {
    const saved = JSON.parse(readFileSync(resolve(REPO_ROOT, options.fromJson), "utf8")) as BenchReport;
    process.stdout.write(`${formatText(saved)}\n`);
    if (options.updateDocs) log(`results written to ${updateBenchmarksDoc(formatMarkdown(saved))}`);
    return;
  }
  if (options.build) {
    log("building (npm run build)");
    const built = spawnSync("npm", ["run", "build", "--silent"], { cwd: REPO_ROOT, stdio: "inherit" });
    if (built.status !== 0) throw new Error("npm run build failed");
  }
  await buildBaseline();

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
  if (options.sqlite) backends.push("sqlite");
  if (options.databaseUrl !== undefined) backends.push("postgres");
  for (const backend of backends) {
    const parley = await benchServer("parley", backend, options, cores, log);
    let baseline: ServerResult | undefined;
    if (options.baseline) baseline = await benchServer("baseline", backend, options, cores, log);
    report.backends.push({
      backend,
      parley,
      ...(baseline === undefined ? {} : { baseline }),
      targets: checkTargets(parley, baseline),
    });
  }

  process.stdout.write(`${formatText(report)}\n`);
  const jsonFile = resolve(REPO_ROOT, options.jsonFile);
  mkdirSync(dirname(jsonFile), { recursive: true });
  writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  log(`JSON written to ${options.jsonFile}`);
  if (options.updateDocs) log(`results written to ${updateBenchmarksDoc(formatMarkdown(report))}`);
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
