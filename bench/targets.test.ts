import assert from "node:assert/strict";
import { test } from "node:test";
import { capacity, chat, clusterRun, connect, latency, result } from "./resultFixtures.js";
import { checkClusterTargets, checkTargets, missedBy, type TargetCheck } from "./targets.js";

const find = (checks: TargetCheck[], start: string): TargetCheck => {
  const found = checks.find((check) => check.target.startsWith(start));
  assert.ok(found, `no target starting with "${start}" in ${checks.map((c) => c.target).join("; ")}`);
  return found;
};

test("equal to the baseline, every target holds", () => {
  const checks = checkTargets(result(), result({ server: "baseline" }), "sqlite");
  assert.deepEqual(
    checks.filter((check) => check.holds !== true).map((check) => check.target),
    [],
  );
});

test("latency: p50 and p99 of each path against twice the baseline's own", () => {
  const parley = result({ chat: chat({ echo: latency(4, 16), agents: latency(4.1, 16) }) });
  const base = result({ chat: chat({ echo: latency(2, 8), agents: latency(2, 8) }) });
  const checks = checkTargets(parley, base, "sqlite");
  assert.equal(find(checks, "echo p50").holds, true);
  assert.equal(find(checks, "echo p99 ≤ 2×").holds, true);
  assert.equal(find(checks, "agents p50").holds, false);
  assert.equal(find(checks, "agents p99 ≤ 2×").holds, true);
});

test("the 25 ms p99 applies only when the baseline's p99 is within 12.5 ms", () => {
  const slowBase = result({ chat: chat({ echo: latency(10, 20), agents: latency(10, 12.5) }) });
  const parley = result({ chat: chat({ echo: latency(12, 30), agents: latency(12, 26) }) });
  const checks = checkTargets(parley, slowBase, "sqlite");
  assert.equal(
    checks.some((check) => check.target.startsWith("echo p99 ≤ 25 ms")),
    false,
  );
  const absolute = find(checks, "agents p99 ≤ 25 ms");
  assert.equal(absolute.holds, false);
  assert.equal(find(checks, "echo p99 ≤ 2×").holds, true);
});

test("CPU per message: 1.5× on SQLite, 2× on Postgres", () => {
  const parley = result({ chat: chat({ serverCpuMsPerMessage: 0.35 }) });
  const base = result({ chat: chat({ serverCpuMsPerMessage: 0.2 }) });
  const sqlite = find(checkTargets(parley, base, "sqlite"), "CPU per message");
  const postgres = find(checkTargets(parley, base, "postgres"), "CPU per message");
  assert.equal(sqlite.holds, false);
  assert.equal(sqlite.bound, 1.5);
  assert.equal(postgres.holds, true);
  assert.equal(postgres.bound, 2);
});

test("memory: within the baseline's RSS per visitor and within 10 KB, each on its own", () => {
  const base = result({ connect: connect({ rssPerVisitorKb: 12 }) });
  const parley = result({ connect: connect({ rssPerVisitorKb: 11 }) });
  const checks = checkTargets(parley, base, "sqlite");
  assert.equal(find(checks, "RSS per visitor ≤ 1× baseline").holds, true);
  assert.equal(find(checks, "RSS per visitor ≤ 10 KB").holds, false);
  const worse = checkTargets(result({ connect: connect({ rssPerVisitorKb: 6.5 }) }), result(), "sqlite");
  assert.equal(find(worse, "RSS per visitor ≤ 1× baseline").holds, false);
});

test("connect p95, capacity and cold start against the baseline", () => {
  const parley = result({
    connect: connect({ confirmP95Ms: 12.5 }),
    capacity: capacity(999),
    coldStart: { firstBootMs: 900, restartMs: 401, restarts: [401] },
  });
  const checks = checkTargets(parley, result(), "sqlite");
  assert.equal(find(checks, "connect p95").holds, false);
  const capacityCheck = find(checks, "capacity");
  assert.equal(capacityCheck.holds, false);
  assert.equal(capacityCheck.atLeast, true);
  assert.equal(find(checks, "cold start").holds, false);
  const fine = checkTargets(
    result({ connect: connect({ confirmP95Ms: 12 }), capacity: capacity(1000) }),
    result(),
    "sqlite",
  );
  assert.equal(find(fine, "connect p95").holds, true);
  assert.equal(find(fine, "capacity").holds, true);
});

test("missing messages, refusals and connect failures fail whatever the baseline", () => {
  const checks = checkTargets(
    result({ connect: connect({ failures: 1 }), chat: chat({ refusals: 1 }) }),
    result(),
    "postgres",
  );
  assert.equal(find(checks, "no connect failures").holds, false);
  assert.equal(find(checks, "nothing missing").holds, false);
});

test("without a baseline the ratio targets are unmeasured, the absolute ones still checked", () => {
  const checks = checkTargets(result({ connect: connect({ rssPerVisitorKb: 11 }) }), undefined, "sqlite");
  assert.equal(find(checks, "CPU per message").holds, undefined);
  assert.equal(find(checks, "cold start").holds, undefined);
  assert.equal(find(checks, "RSS per visitor ≤ 10 KB").holds, false);
});

test("a missed target says by how much, against which bound", () => {
  const checks = checkTargets(result({ chat: chat({ serverCpuMsPerMessage: 0.6 }) }), result(), "sqlite");
  assert.equal(missedBy(find(checks, "CPU per message")), "3× against ≤ 1.5× (2× the bound)");
  assert.equal(missedBy(find(checks, "echo p50")), "");
  const capacityMiss = find(
    checkTargets(result({ capacity: capacity(500) }), result(), "sqlite"),
    "capacity",
  );
  assert.equal(missedBy(capacityMiss), "0.25× against ≥ 0.5× (2× the bound)");
  const rss = find(
    checkTargets(result({ connect: connect({ rssPerVisitorKb: 15 }) }), undefined, "sqlite"),
    "RSS per visitor ≤ 10 KB",
  );
  assert.equal(missedBy(rss), "15 KB against ≤ 10 KB (1.5× the bound)");
});

test("cluster: two nodes' figures within 1.5× of one node's", () => {
  const one = clusterRun(1);
  const same = checkClusterTargets(one, clusterRun(2), clusterRun(1));
  assert.deepEqual(
    same.filter((check) => check.holds !== true).map((check) => check.target),
    [],
  );
  const two = clusterRun(2, {
    connect: connect({ rssPerVisitorKb: 8, confirmP95Ms: 16 }),
    chat: chat({ echo: latency(3, 12), agents: latency(3.1, 12), serverCpuMsPerMessage: 0.3 }),
  });
  const checks = checkClusterTargets(one, two);
  assert.equal(find(checks, "echo p50").holds, true);
  assert.equal(find(checks, "agents p50").holds, false);
  assert.equal(find(checks, "CPU per message per node").holds, true);
  assert.equal(find(checks, "connect p95").holds, false);
  assert.equal(find(checks, "RSS per visitor ≤ 1.5×").holds, true);
});

test("cluster: one node's RSS per visitor with Redis within 1.3× of one without", () => {
  const withRedis = clusterRun(1, { connect: connect({ rssPerVisitorKb: 13 }) });
  const two = clusterRun(2);
  const unmeasured = find(checkClusterTargets(withRedis, two), "RSS per visitor with Redis");
  assert.equal(unmeasured.holds, undefined);
  const within = find(
    checkClusterTargets(withRedis, two, clusterRun(1, { connect: connect({ rssPerVisitorKb: 10 }) })),
    "RSS per visitor with Redis",
  );
  assert.equal(within.holds, true);
  const over = find(
    checkClusterTargets(withRedis, two, clusterRun(1, { connect: connect({ rssPerVisitorKb: 6.5 }) })),
    "RSS per visitor with Redis",
  );
  assert.equal(over.holds, false);
  assert.equal(missedBy(over), "2× against ≤ 1.3× (1.54× the bound)");
});
