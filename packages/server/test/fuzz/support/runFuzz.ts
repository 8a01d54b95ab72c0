/**
 * Runs the targets against one server: fast-check generates the cases from a seed, each case
 * is sent and judged, and after each the process must still be up with no failure in its log.
 * Shared by the seeded test (test/fuzz) and the long bench run (bench/reliability/fuzz.ts).
 */
import fc from "fast-check";
import { WIDGET_ORIGIN, visitorToken } from "../../support/testServer.js";
import { openRawCable } from "../../support/rawCable.js";
import { adminCableTarget, rawCableTarget, visitorCableTarget } from "./cableTargets.js";
import type { FuzzServer } from "./fuzzServer.js";
import { outcomesSince, outcomesSnapshot } from "./outcomes.js";
import { anyOrigin, readCatalog, restTarget, uploadTarget } from "./restTargets.js";
import type { FuzzTarget } from "./target.js";

/** Conversations for the generated ids to land on: a few visitors who said something. */
export async function seedConversations(server: FuzzServer, count = 4): Promise<string[]> {
  const tokens: string[] = [];
  const cable = await openRawCable(server.url, { origin: WIDGET_ORIGIN });
  for (let i = 0; i < count; i++) {
    const token = visitorToken();
    const id = cable.subscribe({ channel: "VisitorChannel", token });
    await cable.next((f) => f.identifier === id && f.type === "confirm_subscription");
    cable.perform(id, { action: "send_message", content: `hello ${i}` });
    await cable.next(
      (f) => f.identifier === id && (f.message as { type?: string } | undefined)?.type === "message",
    );
    tokens.push(token);
  }
  cable.close();
  return tokens;
}

export async function fuzzTargets(server: FuzzServer, tokens: string[]): Promise<FuzzTarget[]> {
  const catalog = await readCatalog(server.url);
  const origins = anyOrigin(server);
  const all = () => true;
  const targets = [
    rawCableTarget(),
    visitorCableTarget(tokens),
    adminCableTarget(),
    restTarget("rest-anonymous", catalog, tokens, "anonymous", all, origins),
    restTarget("rest-owner", catalog, tokens, "owner", all, fc.constant(server.url)),
    restTarget("rest-token", catalog, tokens, "token", all, fc.constantFrom(undefined, server.url)),
    uploadTarget(tokens),
    restTarget(
      "widget",
      catalog,
      tokens,
      "anonymous",
      (r) => r.path.startsWith("/widget/"),
      fc.constant(WIDGET_ORIGIN),
    ),
    restTarget(
      "webhooks",
      catalog,
      tokens,
      "owner",
      (r) => r.path.startsWith("/sites/{id}/webhooks"),
      fc.constant(server.url),
    ),
  ];
  return targets;
}

export interface TargetRun {
  target: string;
  cases: number;
  /** How the cases were answered: `2xx`, `4xx`…, or on the cable `synced` / `closed`. */
  outcomes: Record<string, number>;
  failures: Array<{ seed: number; error: string; counterexample: string }>;
}

/**
 * Runs `numRuns` cases of the target in chunks of `chunk`, each chunk from its own seed, so that
 * a failure is reported with the seed that replays it and the run goes on with the next chunk.
 */
export async function runTarget(
  server: FuzzServer,
  target: FuzzTarget,
  options: { seed: number; numRuns: number; chunk?: number; stopAtFirst?: boolean },
): Promise<TargetRun> {
  const chunk = options.chunk ?? options.numRuns;
  const run: TargetRun = { target: target.name, cases: 0, outcomes: {}, failures: [] };
  const before = outcomesSnapshot();
  for (let done = 0, index = 0; done < options.numRuns; done += chunk, index++) {
    const seed = options.seed + index;
    const numRuns = Math.min(chunk, options.numRuns - done);
    let ran = 0;
    const result = await fc.check(
      fc.asyncProperty(target.arbitrary, async (testCase) => {
        ran++;
        const logged = server.failures().length;
        const wrong = await target.run(server, testCase).catch((error: unknown) => `threw: ${String(error)}`);
        if (!server.alive()) throw new Error(`the server exited:\n${server.node.output().slice(-3000)}`);
        const newFailures = server.failures().slice(logged);
        if (newFailures.length > 0)
          throw new Error(`the server logged:\n${newFailures.join("\n").slice(0, 3000)}`);
        if (wrong !== undefined) throw new Error(wrong);
      }),
      { seed, numRuns, endOnFailure: true },
    );
    run.cases += ran;
    if (result.failed) {
      run.failures.push({
        seed,
        error: String(result.errorInstance).slice(0, 3000),
        counterexample: JSON.stringify(result.counterexample)?.slice(0, 2000) ?? "",
      });
      if (options.stopAtFirst === true || !server.alive()) break;
    }
  }
  run.outcomes = outcomesSince(before);
  return run;
}
