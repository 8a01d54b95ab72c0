/** `npm run bench -- [flags]`: what to run and how big. */
import { parseArgs } from "node:util";
import { STANDALONE_SCENARIOS, type StandaloneName } from "./reliability/standalone.js";

export type ScenarioName = "connect" | "chat" | "capacity" | "coldstart";
export const SCENARIOS: readonly ScenarioName[] = ["connect", "chat", "capacity", "coldstart"];

export interface BenchOptions {
  visitors: number;
  agents: number;
  rate: number;
  durationS: number;
  /** Visitors connecting at once. */
  connectConcurrency: number;
  /** Seconds each capacity step sends for. */
  capacityStepS: number;
  scenarios: ReadonlySet<ScenarioName>;
  /** Reliability scenarios asked for by name (bench/reliability), run after the others. */
  standalone: readonly StandaloneName[];
  databaseUrl: string | undefined;
  sqlite: boolean;
  baseline: boolean;
  quick: boolean;
  jsonFile: string;
  /** Rewrite the results section of docs/benchmarks.md. */
  updateDocs: boolean;
  build: boolean;
  /** Server core and load core, when the machine has two. */
  pin: boolean;
  /** Write V8 CPU profiles of the long-lived server processes into this folder. */
  profileDir: string | undefined;
  /** Run nothing: print (and with --update-docs, record) the results saved in this JSON file. */
  fromJson: string | undefined;
  /** One node against two (Postgres + Redis) instead of Parley against the baseline; `visitors` is per node. */
  cluster: boolean;
  /** Another build of Parley's server to measure (e.g. one from before a change, for A/B runs). */
  parleyEntry: string | undefined;
  /** Seed Parley with a second site, labels, notes, webhooks and identified visitors (bench/features.ts). */
  features: boolean;
}

/** Per node in cluster mode: two nodes' visitors must fit the load generator's open-files limit. */
const CLUSTER_VISITORS_PER_NODE = 7500;

const USAGE = `npm run bench -- [flags]
  --quick                 1,000 visitors, 200 msg/s for 5 s (a smoke run; docs are left alone)
  --visitors N            visitors connected (default 15000)
  --agents N              agents connected (default 2)
  --rate R                messages per second in the chat scenario (default 1000)
  --duration D            seconds the chat scenario sends for (default 10)
  --capacity-step S       seconds per capacity step (default 5)
  --scenarios a,b         of connect,chat,capacity,coldstart (default all; chat needs connect),
                          and the reliability scenarios, only by name: fuzz,crash,storm,soak,outage,
                          diskfull,slowclients,reports (docs/reliability.md)
  --database-url URL      also run on Postgres (a fresh schema is created and dropped)
  --no-sqlite             with --database-url: Postgres only
  --no-baseline           Parley only
  --json FILE             where the JSON goes (default bench/results/latest.json)
  --update-docs / --no-update-docs   rewrite the results in docs/benchmarks.md (default: on unless --quick)
  --no-build              use the existing dist/ builds
  --no-pin                do not pin processes to cores
  --profile DIR           run the servers with --cpu-prof, profiles written to DIR
  --cluster               with --database-url: one Parley node without Redis, one with, then two
                          (private redis-server), same scenarios; --visitors is per node (default
                          7500); JSON to bench/results/cluster.json
  --no-features           Parley without the seeded second site, labels, notes, webhooks and
                          identified visitors (on by default; a build without them needs this)
  --parley-entry FILE     measure this bundle instead of packages/server/dist/main.js (A/B runs of two builds)
  --from-json FILE        run nothing; print the results of an earlier run (with --update-docs, record them)`;

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} must be a positive number, not "${text}"`);
  return value;
}

export function parseOptions(argv: string[]): BenchOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      help: { type: "boolean", short: "h" },
      quick: { type: "boolean" },
      visitors: { type: "string" },
      agents: { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      "capacity-step": { type: "string" },
      scenarios: { type: "string" },
      "database-url": { type: "string" },
      "no-sqlite": { type: "boolean" },
      "no-baseline": { type: "boolean" },
      json: { type: "string" },
      "update-docs": { type: "boolean" },
      "no-update-docs": { type: "boolean" },
      "no-build": { type: "boolean" },
      "no-pin": { type: "boolean" },
      profile: { type: "string" },
      "from-json": { type: "string" },
      cluster: { type: "boolean" },
      "parley-entry": { type: "string" },
      "no-features": { type: "boolean" },
    },
  });
  if (values.help) return "help";
  const quick = values.quick === true;
  const scenarios = new Set<ScenarioName>();
  const standalone: StandaloneName[] = [];
  for (const name of (values.scenarios ?? SCENARIOS.join(",")).split(",")) {
    const trimmed = name.trim();
    if ((STANDALONE_SCENARIOS as readonly string[]).includes(trimmed)) {
      standalone.push(trimmed as StandaloneName);
      continue;
    }
    if (!SCENARIOS.includes(trimmed as ScenarioName))
      throw new Error(
        `unknown scenario "${name}"; known: ${[...SCENARIOS, ...STANDALONE_SCENARIOS].join(", ")}`,
      );
    scenarios.add(trimmed as ScenarioName);
  }
  // The chat and capacity scenarios run on the connections the connect scenario opened.
  if (scenarios.has("chat") || scenarios.has("capacity")) scenarios.add("connect");
  const databaseUrl = values["database-url"];
  const cluster = values.cluster === true;
  if (cluster && databaseUrl === undefined)
    throw new Error("--cluster needs --database-url (the nodes share Postgres)");
  // Cold start is the same process with or without a peer: the cluster run leaves it out.
  if (cluster) scenarios.delete("coldstart");
  const sqlite = values["no-sqlite"] !== true || databaseUrl === undefined;
  return {
    quick,
    visitors: Math.round(
      positive("visitors", values.visitors, quick ? 1000 : cluster ? CLUSTER_VISITORS_PER_NODE : 15_000),
    ),
    agents: Math.round(positive("agents", values.agents, 2)),
    rate: positive("rate", values.rate, quick ? 200 : 1000),
    durationS: positive("duration", values.duration, quick ? 5 : 10),
    capacityStepS: positive("capacity-step", values["capacity-step"], quick ? 3 : 5),
    connectConcurrency: 200,
    scenarios,
    standalone,
    databaseUrl,
    sqlite,
    baseline: values["no-baseline"] !== true,
    jsonFile: values.json ?? (cluster ? "bench/results/cluster.json" : "bench/results/latest.json"),
    updateDocs:
      values["no-update-docs"] === true
        ? false
        : (values["update-docs"] ?? (!quick && values["from-json"] === undefined)),
    build: values["no-build"] !== true,
    pin: values["no-pin"] !== true,
    profileDir: values.profile,
    fromJson: values["from-json"],
    cluster,
    parleyEntry: values["parley-entry"],
    features: values["no-features"] !== true,
  };
}

export { USAGE };
