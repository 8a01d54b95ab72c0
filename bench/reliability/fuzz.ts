/**
 * `npm run bench -- --scenarios fuzz`: 100,000 generated cases in all, shared evenly among the
 * targets of the seeded test (packages/server/test/fuzz), against one real server on SQLite.
 * Each target runs in chunks of its own seeds, so a failure names the seed that replays it and
 * the run goes on. Then the same checks as the test: the file, the rows, REST reads, a visitor's
 * round-trip, and the server's memory.
 *
 * FUZZ_CASES (default 100,000; 2,000 with --quick) and FUZZ_MINUTES (default 15, shared evenly
 * among the targets: a target stops at its share and the report says how far it got).
 */
import { nproc } from "./fuzzMachine.js";
import { startFuzzServer } from "../../packages/server/test/fuzz/support/fuzzServer.js";
import {
  restReadProblems,
  storedRowProblems,
  visitorRoundTrip,
} from "../../packages/server/test/fuzz/support/invariants.js";
import {
  fuzzTargets,
  runTarget,
  seedConversations,
  type TargetRun,
} from "../../packages/server/test/fuzz/support/runFuzz.js";
import type { StandaloneScenario } from "./standalone.js";

const CHUNK = 500;
const BASE_SEED = 1_000_000;
/** What the server may grow by over the whole run: rows stored and caches warmed, not a leak. */
const RSS_BOUND_MB = 300;

export const run: StandaloneScenario = async (options, log) => {
  const totalCases = Number(process.env.FUZZ_CASES ?? (options.quick ? 2_000 : 100_000));
  const minutes = Number(process.env.FUZZ_MINUTES ?? 15);
  const server = await startFuzzServer();
  const notes: string[] = [];
  const figures: Record<string, number | string | boolean> = {};
  try {
    const tokens = await seedConversations(server);
    const targets = await fuzzTargets(server, tokens);
    const perTarget = Math.ceil(totalCases / targets.length);
    const budgetMs = (minutes * 60_000) / targets.length;
    const rssBefore = server.rss();
    const started = Date.now();
    const runs: TargetRun[] = [];
    for (const [index, target] of targets.entries()) {
      const targetStarted = Date.now();
      const total: TargetRun = { target: target.name, cases: 0, outcomes: {}, failures: [] };
      for (let chunk = 0; total.cases < perTarget && server.alive(); chunk++) {
        if (Date.now() - targetStarted > budgetMs) {
          notes.push(
            `${target.name}: stopped at its ${(budgetMs / 60_000).toFixed(1)} min share after ${total.cases} cases`,
          );
          break;
        }
        const part = await runTarget(server, target, {
          seed: BASE_SEED + index * 100_000 + chunk,
          numRuns: Math.min(CHUNK, perTarget - total.cases),
        });
        total.cases += part.cases;
        total.failures.push(...part.failures);
        for (const [outcome, count] of Object.entries(part.outcomes)) {
          total.outcomes[outcome] = (total.outcomes[outcome] ?? 0) + count;
        }
      }
      const seconds = (Date.now() - targetStarted) / 1000;
      log(
        `fuzz ${target.name}: ${total.cases} cases in ${seconds.toFixed(0)} s, ${total.failures.length} failed`,
      );
      figures[`${target.name} cases`] = total.cases;
      figures[`${target.name} failures`] = total.failures.length;
      figures[`${target.name} answers`] = Object.entries(total.outcomes)
        .map(([outcome, count]) => `${outcome} ${count}`)
        .join(", ");
      figures[`${target.name} cases/s`] = Math.round(total.cases / seconds);
      for (const failure of total.failures) {
        notes.push(
          `${target.name} seed ${failure.seed}: ${failure.error.slice(0, 600)} — case ${failure.counterexample.slice(0, 600)}`,
        );
      }
      runs.push(total);
    }
    const durationS = (Date.now() - started) / 1000;
    // Let timers and sockets of the last cases settle before reading memory again.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const rssAfter = server.rss();
    const cases = runs.reduce((sum, each) => sum + each.cases, 0);
    const failures = runs.reduce((sum, each) => sum + each.failures.length, 0);
    const rowProblems = storedRowProblems(server.storageDir);
    const reads = await restReadProblems(server, 1000);
    let roundTrip = true;
    await visitorRoundTrip(server).catch((error: unknown) => {
      roundTrip = false;
      notes.push(`visitor round-trip failed: ${String(error)}`);
    });
    const logged = server.failures();
    notes.push(...rowProblems, ...reads.problems, ...logged.slice(0, 10));
    const grownMb = (rssAfter - rssBefore) / 1024 / 1024;
    Object.assign(figures, {
      cases,
      failures,
      "duration s": Math.round(durationS),
      "cases/s": Math.round(cases / durationS),
      "RSS before MB": Math.round(rssBefore / 1024 / 1024),
      "RSS after MB": Math.round(rssAfter / 1024 / 1024),
      "server alive": server.alive(),
      "stored-row problems": rowProblems.length,
      "conversations read back": reads.read,
      "REST read problems": reads.problems.length,
      "visitor round-trip": roundTrip,
      "failure lines logged": logged.length,
      machine: nproc(),
    });
    const held =
      failures === 0 &&
      server.alive() &&
      rowProblems.length === 0 &&
      reads.problems.length === 0 &&
      roundTrip &&
      logged.length === 0 &&
      grownMb < RSS_BOUND_MB;
    if (grownMb >= RSS_BOUND_MB) notes.push(`RSS grew by ${grownMb.toFixed(0)} MB (bound ${RSS_BOUND_MB})`);
    return {
      name: "fuzz",
      ran: `${cases} generated cases (${perTarget} asked per target, ${targets.length} targets, chunks of ${CHUNK} seeds from ${BASE_SEED}) against one server on SQLite`,
      figures,
      held,
      notes,
    };
  } finally {
    await server.dispose();
  }
};
