/**
 * `--scenarios outage`: a node on Postgres through a proxy cut for 30 s (connections destroyed,
 * new ones refused) under 500 messages a second, then restored
 * (packages/server/test/reliability/outageRun.ts; the quick test cuts for 5 s). Needs
 * --database-url or TEST_DATABASE_URL. Redis restarts under traffic: test/cluster/cluster.test.ts.
 */
import { outageRun } from "../../packages/server/test/reliability/outageRun.js";
import { postgresSchema } from "../../packages/server/test/support/postgres.js";
import { describeMachine } from "../machine.js";
import { chooseCores } from "../processes.js";
import type { StandaloneResult, StandaloneScenario } from "./standalone.js";

export const run: StandaloneScenario = async (options, log): Promise<StandaloneResult> => {
  if (options.databaseUrl !== undefined) process.env.TEST_DATABASE_URL = options.databaseUrl;
  const schema = await postgresSchema();
  if (schema === undefined)
    return {
      name: "outage",
      ran: "nothing",
      figures: {},
      held: false,
      notes: ["not run: give --database-url (or set TEST_DATABASE_URL)"],
    };
  const rate = options.quick ? 100 : 500;
  const outageMs = options.quick ? 5000 : 30_000;
  const phaseMs = options.quick ? 3000 : 10_000;
  const visitors = 50;
  const machine = describeMachine(chooseCores(false));
  try {
    const result = await outageRun(schema, { visitors, rate, phaseMs, outageMs, log });
    const held =
      result.nodeAlive &&
      result.upDuringOutage.length > 0 &&
      result.upDuringOutage.every((status) => status === 503) &&
      result.lost === 0 &&
      result.duplicates === 0 &&
      result.echoedButMissing === 0 &&
      result.storedRows === result.sent;
    return {
      name: "outage",
      ran:
        `Postgres, one node (child process) on ${machine.cpu}, ${machine.cores} cores, reaching Postgres through a TCP proxy; ` +
        `${visitors} retrying visitors sending ${rate} messages/s; ${phaseMs / 1000} s, then the proxy cut for ` +
        `${outageMs / 1000} s, then ${phaseMs / 1000} s after it returned and a drain`,
      figures: {
        sent: result.sent,
        echoed: result.echoed,
        storedRows: result.storedRows,
        lostAfterRetries: result.lost,
        refusalsRetried: result.refusals,
        firstRefusal: result.firstRefusal ?? "none",
        upChecksDuringOutage: result.upDuringOutage.length,
        upStatusesDuringOutage: [...new Set(result.upDuringOutage)].join(","),
        upBodyDuringOutage: result.upBodyDuringOutage ?? "",
        upBackAfterMs: result.recoveryMs,
        allEchoedAfterMs: result.drainMs,
        duplicateRows: result.duplicates,
        echoedButMissing: result.echoedButMissing,
        duplicateEchoes: result.duplicateEchoes,
        nodeAlive: result.nodeAlive,
        nodeErrorsLogged: result.nodeErrors,
      },
      held,
      notes: [],
    };
  } finally {
    await schema.drop();
  }
};
