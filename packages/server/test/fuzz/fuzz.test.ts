/**
 * Seeded fuzzing of every door the server has: raw cable frames, both channels' identifiers and
 * actions, every REST route of the OpenAPI document (as a stranger, the owner and an API token),
 * uploads, the widget's routes and webhooks. A fixed seed, so a failure replays; the long run
 * with 100,000 cases is `npm run bench -- --scenarios fuzz` (docs/reliability.md).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startFuzzServer, type FuzzServer } from "./support/fuzzServer.js";
import { restReadProblems, storedRowProblems, visitorRoundTrip } from "./support/invariants.js";
import { fuzzTargets, runTarget, seedConversations } from "./support/runFuzz.js";
import type { FuzzTarget } from "./support/target.js";

const SEED = 20261201;
const CASES_PER_TARGET = 200;

describe("fuzzing (seeded)", () => {
  let server: FuzzServer;
  let targets: FuzzTarget[];
  let rssBefore: number;

  before(async () => {
    server = await startFuzzServer();
    const tokens = await seedConversations(server);
    targets = await fuzzTargets(server, tokens);
    rssBefore = server.rss();
  });

  after(async () => {
    await server?.dispose();
  });

  const names = [
    "cable-raw",
    "cable-visitor",
    "cable-admin",
    "rest-anonymous",
    "rest-owner",
    "rest-token",
    "uploads",
    "widget",
    "webhooks",
  ];
  /** What each target must reach now and then, or it only fuzzes the doors. */
  const reaches: Record<string, string> = {
    "cable-visitor": "subscribed",
    "cable-admin": "subscribed",
    "rest-anonymous": "2xx",
    "rest-owner": "2xx",
    "rest-token": "2xx",
    uploads: "2xx",
    widget: "2xx",
    webhooks: "2xx",
  };
  names.forEach((name, index) => {
    it(`${name}: no 5xx, no crash, nothing logged as failed`, async () => {
      const target = targets.find((each) => each.name === name);
      assert.ok(target, `no target ${name}`);
      const run = await runTarget(server, target, { seed: SEED + index * 1000, numRuns: CASES_PER_TARGET });
      assert.deepEqual(run.failures, []);
      assert.equal(run.cases, CASES_PER_TARGET);
      const reached = reaches[name];
      if (reached !== undefined)
        assert.ok((run.outcomes[reached] ?? 0) > 0, `never ${reached}: ${JSON.stringify(run.outcomes)}`);
    });
  });

  it("afterwards the file is sound and every stored row within its bounds", () => {
    assert.deepEqual(storedRowProblems(server.storageDir), []);
  });

  it("afterwards every conversation reads back over REST", async () => {
    const { read, problems } = await restReadProblems(server);
    assert.deepEqual(problems, []);
    // Some of the seeded ones may have been deleted or erased by the owner's fuzzing.
    assert.ok(read >= 1, "no conversation left to read");
  });

  it("afterwards a visitor still gets through, and memory stayed bounded", async () => {
    await visitorRoundTrip(server);
    assert.ok(server.alive());
    assert.deepEqual(server.failures(), []);
    // Generous: the fuzzing stores rows and warms caches; a leak per case would pass it by far.
    const grownMb = (server.rss() - rssBefore) / 1024 / 1024;
    assert.ok(grownMb < 200, `RSS grew by ${grownMb.toFixed(0)} MB`);
  });
});
