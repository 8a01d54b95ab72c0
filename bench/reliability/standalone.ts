/**
 * Scenarios that stand alone (`npm run bench -- --scenarios fuzz,crash,…`): each proves one
 * property of Parley under fire (docs/reliability.md) rather than comparing it with the baseline,
 * so each runs its own servers and returns what it ran and what held. Never part of the default
 * run: ask for them by name.
 *
 * A scenario lives in `bench/reliability/<name>.ts` and exports `run` as `StandaloneScenario`.
 */
import type { BenchOptions } from "../options.js";

export const STANDALONE_SCENARIOS = [
  "fuzz",
  "crash",
  "storm",
  "soak",
  "outage",
  "diskfull",
  "slowclients",
  "reports",
] as const;
export type StandaloneName = (typeof STANDALONE_SCENARIOS)[number];

export interface StandaloneResult {
  name: StandaloneName;
  /** What was run, in words: sizes, durations, engine. */
  ran: string;
  /** The figures, by name (counts, ms, MB, ratios). */
  figures: Record<string, number | string | boolean>;
  /** Whether everything the scenario asserts held. */
  held: boolean;
  /** What did not hold, or is worth saying. */
  notes: string[];
}

export type StandaloneScenario = (
  options: BenchOptions,
  log: (line: string) => void,
) => Promise<StandaloneResult>;

/** Runs the named scenario from its own module. */
export async function runStandalone(
  name: StandaloneName,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<StandaloneResult> {
  const module = (await import(`./${name}.js`)) as { run: StandaloneScenario };
  return module.run(options, log);
}

export function formatStandalone(result: StandaloneResult): string {
  const lines = [`## ${result.name}: ${result.held ? "held" : "DID NOT HOLD"}`, result.ran];
  for (const [key, value] of Object.entries(result.figures)) lines.push(`  ${key}: ${String(value)}`);
  for (const note of result.notes) lines.push(`  note: ${note}`);
  return lines.join("\n");
}
