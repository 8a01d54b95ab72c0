/**
 * `--scenarios crash`: a SQLite node under 1,000 messages a second killed with -9 twenty times at
 * random moments and restarted (packages/server/test/reliability/crashRun.ts; the quick test does
 * the same with three kills under light traffic).
 */
import { crashRun } from "../../packages/server/test/reliability/crashRun.js";
import { describeMachine } from "../machine.js";
import { chooseCores } from "../processes.js";
import { summarize } from "../stats.js";
import type { StandaloneScenario } from "./standalone.js";

export const run: StandaloneScenario = async (options, log) => {
  const rate = options.quick ? 200 : 1000;
  const kills = options.quick ? 5 : 20;
  const visitors = 100;
  const machine = describeMachine(chooseCores(false));
  const result = await crashRun({
    visitors,
    rate,
    kills,
    minUpMs: 1000,
    maxUpMs: 6000,
    drainMs: 60_000,
    log,
  });
  const final = result.checks.at(-1)!;
  const notes: string[] = [];
  const bad = result.checks.filter(
    (check) => check.integrity !== "ok" || check.duplicates > 0 || check.echoedButMissing > 0,
  );
  if (bad.length > 0) notes.push(`${bad.length} checks failed: ${JSON.stringify(bad[0])}`);
  if (result.firstRefusal !== undefined) notes.push(`first refusal (retried): ${result.firstRefusal}`);
  const restart = summarize(result.restartMs);
  return {
    name: "crash",
    ran:
      `SQLite, one node (child process) on ${machine.cpu}, ${machine.cores} cores; ${visitors} retrying visitors ` +
      `sending ${rate} messages/s; ${kills} SIGKILLs 1-6 s apart, each followed by a restart and a check of the file`,
    figures: {
      kills: result.kills,
      sent: result.sent,
      echoed: result.echoed,
      storedRows: final.storedRows,
      lostAfterRetries: result.lost,
      duplicateRows: Math.max(...result.checks.map((check) => check.duplicates)),
      echoedButMissing: Math.max(...result.checks.map((check) => check.echoedButMissing)),
      integrityChecksOk: result.checks.filter((check) => check.integrity === "ok").length,
      integrityChecks: result.checks.length,
      refusalsRetried: result.refusals,
      duplicateEchoes: result.duplicateEchoes,
      killToUpMsP50: restart.p50,
      killToUpMsMax: restart.max,
    },
    held: bad.length === 0 && result.lost === 0 && final.storedRows === result.sent,
    notes,
  };
};
