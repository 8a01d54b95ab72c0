/** Results as a plain-text table (console), a Markdown table (docs) and JSON. */
import type { ServerResult } from "./benchServer.js";
import type { ClusterRun } from "./cluster.js";
import type { Machine } from "./machine.js";
import type { WidgetResult } from "./scenarios/widget.js";
import type { Backend } from "./stores.js";
import { missedBy, type TargetCheck } from "./targets.js";

export interface BenchReport {
  startedAt: string;
  machine: Machine;
  settings: { visitors: number; agents: number; rate: number; durationS: number; quick: boolean };
  widget?: WidgetResult;
  backends: Array<{
    backend: Backend;
    parley: ServerResult;
    baseline?: ServerResult;
    targets: TargetCheck[];
  }>;
  /** Cluster mode: one node against two, on Postgres + Redis, and one node without Redis (newer runs). */
  cluster?: { noRedis?: ClusterRun; oneNode: ClusterRun; twoNodes: ClusterRun; targets: TargetCheck[] };
}

type Row = [metric: string, parley: string, baseline: string, ratio: string];

const num = (value: number | undefined, digits = 2): string =>
  value === undefined || !Number.isFinite(value)
    ? "–"
    : String(Math.round(value * 10 ** digits) / 10 ** digits);

function ratio(parley: number | undefined, baseline: number | undefined): string {
  if (parley === undefined || baseline === undefined || !Number.isFinite(parley) || !(baseline > 0))
    return "–";
  return `${num(parley / baseline)}×`;
}

/** Seconds a run's deferred work took after it; negative when the server never went quiet. */
function settledSeconds(run: { settleMs: number; settled: boolean } | undefined): number | undefined {
  if (run === undefined) return undefined;
  return (run.settled ? 1 : -1) * (run.settleMs / 1000);
}

function rows(parley: ServerResult, baseline: ServerResult | undefined): Row[] {
  return figures([parley, baseline]).map(({ metric, values: [p, b], digits }) => [
    metric,
    num(p, digits),
    num(b, digits),
    ratio(p, b),
  ]);
}

/** One figure of every run given (undefined where a run is missing or did not measure it). */
interface Figure {
  metric: string;
  values: (number | undefined)[];
  digits: number;
}

/** Every figure the table shows, of each run; a figure no run measured is left out. */
function figures(results: readonly (ServerResult | undefined)[]): Figure[] {
  const out: Figure[] = [];
  const add = (metric: string, pick: (result: ServerResult) => number | undefined, digits = 2) => {
    const values = results.map((result) => (result === undefined ? undefined : pick(result)));
    if (values.every((value) => value === undefined)) return;
    out.push({ metric, values, digits });
  };
  add("connect: visitors connected", (r) => r.connect?.connected, 0);
  add("connect: failures", (r) => r.connect?.failures, 0);
  add("connect: confirmation p50 (ms)", (r) => r.connect?.confirmP50Ms);
  add("connect: confirmation p95 (ms)", (r) => r.connect?.confirmP95Ms);
  add("connect: visitors/s", (r) => r.connect?.connectsPerS, 0);
  add("connect: server CPU share", (r) => r.connect?.serverCpuShare);
  add("connect: load generator CPU share", (r) => r.connect?.loadCpuShare);
  add("connect: server RSS per visitor (KB)", (r) => r.connect?.rssPerVisitorKb);
  add("connect: server RSS with everyone connected (MB)", (r) => r.connect?.rssAfterMb, 1);
  add("chat: messages sent", (r) => r.chat?.sent, 0);
  add("chat: echo p50 (ms)", (r) => r.chat?.echo.p50);
  add("chat: echo p95 (ms)", (r) => r.chat?.echo.p95);
  add("chat: echo p99 (ms)", (r) => r.chat?.echo.p99);
  add("chat: agents p50 (ms)", (r) => r.chat?.agents.p50);
  add("chat: agents p95 (ms)", (r) => r.chat?.agents.p95);
  add("chat: agents p99 (ms)", (r) => r.chat?.agents.p99);
  add(
    "chat: missing after grace",
    (r) => (r.chat === undefined ? undefined : r.chat.missingEchoes + r.chat.missingAgentDeliveries),
    0,
  );
  add("chat: server CPU per message (ms, idle subtracted)", (r) => r.chat?.serverCpuMsPerMessage, 3);
  add("chat: server CPU per message (ms, gross)", (r) => r.chat?.serverCpuMsPerMessageGross, 3);
  add(
    "chat: server CPU per message until the last arrival (ms, idle subtracted)",
    (r) => r.chat?.serverCpuMsPerMessageInRun,
    3,
  );
  add(
    "chat: time to finish deferred work after it (s; negative: not done in 60 s)",
    (r) => settledSeconds(r.chat),
    1,
  );
  add("chat: server CPU when idle (ms/s, pings)", (r) => r.chat?.idleCpuMsPerS, 1);
  add("chat: load generator CPU share", (r) => r.chat?.loadCpuShare);
  add("capacity: max msg/s with p99 ≤ 25 ms", (r) => r.capacity?.maxRate, 0);
  add("cold start: first boot to /up (ms)", (r) => r.coldStart?.firstBootMs, 0);
  add("cold start: restart to /up, median (ms)", (r) => r.coldStart?.restartMs, 0);
  add("features: visitors identified with a verified hash", (r) => r.features?.identifiedVisitors, 0);
  add("features: visitors on the second site", (r) => r.features?.visitorsOnSecondSite, 0);
  add("features: labelled conversations with notes (seeded)", (r) => r.features?.historyConversations, 0);
  add(
    "features: webhook message.created received once the chat's deferred work was done",
    (r) => r.features?.webhooksAfterChat?.events["message.created"],
    0,
  );
  add(
    "features: webhook events received by the run's end",
    (r) =>
      r.features?.webhooksAtEnd === undefined
        ? undefined
        : Object.values(r.features.webhooksAtEnd.events).reduce((sum, n) => sum + n, 0),
    0,
  );
  add("peak server RSS (MB)", (r) => r.rssPeakMb, 0);
  add(
    "machine CPU pressure during the run (%)",
    (r) => (r.cpuPressure === undefined ? undefined : r.cpuPressure * 100),
    0,
  );
  return out;
}

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

function markdownTable(header: string[], body: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? "---" : "---:"))), ...body.map(line)].join("\n");
}

const holdsMark = (holds: boolean | undefined) => (holds === undefined ? "–" : holds ? "yes" : "NO");

/** A target's line: a missed one says by how much (its ratio or figure, and the bound). */
const targetRow = (t: TargetCheck): string[] => [t.target, t.actual, holdsMark(t.holds), missedBy(t) || "–"];

export function formatText(report: BenchReport): string {
  const parts: string[] = [];
  for (const { backend, parley, baseline, targets } of report.backends) {
    parts.push(`\n${backend}: Parley vs baseline`);
    parts.push(table(["metric", "parley", "baseline", "ratio"], rows(parley, baseline)));
    parts.push(`\n${backend}: targets`);
    parts.push(table(["target", "actual", "holds", "missed by"], targets.map(targetRow)));
  }
  if (report.widget !== undefined) {
    const { loader, app } = report.widget;
    parts.push(
      `\nwidget.js (loader): ${loader.bytes} bytes, ${loader.gzipBytes} gzipped; ` +
        `widget-app.js: ${app.bytes} bytes, ${app.gzipBytes} gzipped`,
    );
  }
  return parts.join("\n");
}

export function formatMarkdown(report: BenchReport): string {
  const { machine, settings } = report;
  const parts = [
    `Run of ${report.startedAt}: ${settings.visitors.toLocaleString("en")} visitors, ${settings.agents} agents, ` +
      `${settings.rate.toLocaleString("en")} messages/s for ${settings.durationS} s.`,
    "",
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Linux ${machine.kernel}, Node ${machine.node}; ` +
      `${machine.pinned}; open files limit ${machine.openFilesLimit}; load average ${machine.loadAverageAtStart} at the start.`,
  ];
  for (const { backend, parley, baseline, targets } of report.backends) {
    parts.push("", `#### ${backend === "sqlite" ? "SQLite" : "Postgres"}`, "");
    parts.push(markdownTable(["metric", "Parley", "baseline", "Parley/baseline"], rows(parley, baseline)));
    parts.push("", markdownTable(["target", "actual", "holds", "missed by"], targets.map(targetRow)));
  }
  if (report.widget !== undefined) {
    const { loader, app } = report.widget;
    parts.push(
      "",
      `Widget: the loader \`widget.js\` is ${loader.bytes.toLocaleString("en")} bytes, ` +
        `${loader.gzipBytes.toLocaleString("en")} gzipped (level 9), what every page view pays; the app ` +
        `\`widget-app.js\`, loaded at idle or on open, ${app.bytes.toLocaleString("en")} bytes, ` +
        `${app.gzipBytes.toLocaleString("en")} gzipped.`,
    );
  }
  return parts.join("\n");
}

/** The cluster table's columns: one node without Redis (when the run had it), one node, two nodes, and the ratios. */
function clusterHeader({ noRedis }: NonNullable<BenchReport["cluster"]>): string[] {
  return noRedis === undefined
    ? ["metric", "one node", "two nodes", "two/one"]
    : ["metric", "one node, no Redis", "one node", "two nodes", "two/one", "one node: Redis/no Redis"];
}

/** The single-node rows plus what only a cluster has, for each column of clusterHeader. */
function clusterRows({ noRedis, oneNode, twoNodes }: NonNullable<BenchReport["cluster"]>): string[][] {
  const runs: ClusterRun[] = noRedis === undefined ? [oneNode, twoNodes] : [noRedis, oneNode, twoNodes];
  const at = (values: readonly (number | undefined)[], run: ClusterRun) => values[runs.indexOf(run)];
  // two/one, then (with a run without Redis) one node's with Redis over without.
  const ratios = (values: readonly (number | undefined)[]) => [
    ratio(at(values, twoNodes), at(values, oneNode)),
    ...(noRedis === undefined ? [] : [ratio(at(values, oneNode), at(values, noRedis))]),
  ];
  const none = noRedis === undefined ? ["–"] : ["–", "–"];
  const out: string[][] = [
    ["nodes × visitors per node", ...runs.map((run) => `${run.nodes} × ${run.visitorsPerNode}`), ...none],
    ["placement", ...runs.map((run) => run.placement), ...none],
  ];
  for (const { metric, values, digits } of figures(runs)) {
    out.push([
      metric.replace("server", "servers'"),
      ...values.map((value) => num(value, digits)),
      ...ratios(values),
    ]);
  }
  const redisCpu = runs.map((run) => run.redisCpuMsPerMessage);
  out.push([
    "chat: Redis CPU per message (ms)",
    ...redisCpu.map((value) => num(value, 4)),
    ...ratios(redisCpu),
  ]);
  out.push([
    "chat: each node's CPU share",
    ...runs.map((run) => (run.nodeCpuShares ?? []).map((share) => num(share)).join(", ")),
    ...none,
  ]);
  return out;
}

export function formatClusterText(report: BenchReport): string {
  if (report.cluster === undefined) return "";
  const title =
    report.cluster.noRedis === undefined ? "one node vs two" : "one node without Redis, one node, two";
  return [
    `\ncluster (Postgres + Redis): ${title}`,
    table(clusterHeader(report.cluster), clusterRows(report.cluster)),
    "\ncluster: targets",
    table(["target", "actual", "holds", "missed by"], report.cluster.targets.map(targetRow)),
  ].join("\n");
}

export function formatClusterMarkdown(report: BenchReport): string {
  if (report.cluster === undefined) return "";
  const { machine, settings } = report;
  const { noRedis, targets } = report.cluster;
  return [
    `Run of ${report.startedAt}: Postgres + Redis, ${settings.visitors.toLocaleString("en")} visitors per node, ` +
      `${settings.agents} agents (on different nodes when there are two), ${settings.rate.toLocaleString("en")} messages/s for ${settings.durationS} s` +
      (noRedis === undefined ? "." : "; first one node on Postgres alone, without Redis."),
    "",
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Linux ${machine.kernel}, Node ${machine.node}; ` +
      `open files limit ${machine.openFilesLimit}; load average ${machine.loadAverageAtStart} at the start. ` +
      `CPU, RSS and open files are the sum over the nodes.`,
    "",
    markdownTable(clusterHeader(report.cluster), clusterRows(report.cluster)),
    "",
    markdownTable(["target", "actual", "holds", "missed by"], targets.map(targetRow)),
  ].join("\n");
}
