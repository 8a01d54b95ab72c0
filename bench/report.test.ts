import assert from "node:assert/strict";
import { test } from "node:test";
import { formatClusterMarkdown, type BenchReport } from "./report.js";
import { clusterRun, connect } from "./resultFixtures.js";
import { checkClusterTargets } from "./targets.js";

function clusterReport(cluster: NonNullable<BenchReport["cluster"]>): BenchReport {
  return {
    startedAt: "2026-12-04T00:00:00.000Z",
    machine: {
      cpu: "test CPU",
      cores: 2,
      memoryGb: 24,
      kernel: "6",
      node: "v24",
      openFilesLimit: "20000",
      pinned: "pinned",
      loadAverageAtStart: 0.1,
    },
    settings: { visitors: 1000, agents: 2, rate: 200, durationS: 5, quick: false },
    backends: [],
    cluster,
  };
}

/** A Markdown table's row whose first cell is `metric`, as its cells. */
function row(markdown: string, metric: string): string[] {
  const line = markdown.split("\n").find((each) => each.startsWith(`| ${metric} |`));
  assert.ok(line, `no row "${metric}"`);
  return line.split(" | ").map((cell) => cell.replace(/^\| |\s\|$/g, ""));
}

test("cluster report: with a run without Redis, a column for it and Redis/no Redis ratios", () => {
  const noRedis = clusterRun(1, { connect: connect({ rssPerVisitorKb: 5 }) });
  noRedis.redis = false;
  const oneNode = clusterRun(1, { connect: connect({ rssPerVisitorKb: 8 }) });
  oneNode.redisCpuMsPerMessage = 0.05;
  const twoNodes = clusterRun(2, { connect: connect({ rssPerVisitorKb: 10 }) });
  twoNodes.redisCpuMsPerMessage = 0.06;
  const markdown = formatClusterMarkdown(
    clusterReport({ noRedis, oneNode, twoNodes, targets: checkClusterTargets(oneNode, twoNodes, noRedis) }),
  );
  assert.deepEqual(row(markdown, "metric"), [
    "metric",
    "one node, no Redis",
    "one node",
    "two nodes",
    "two/one",
    "one node: Redis/no Redis",
  ]);
  assert.deepEqual(row(markdown, "connect: servers' RSS per visitor (KB)"), [
    "connect: servers' RSS per visitor (KB)",
    "5",
    "8",
    "10",
    "1.25×",
    "1.6×",
  ]);
  // No Redis, no Redis CPU: a dash and no ratio, never a zero.
  assert.deepEqual(row(markdown, "chat: Redis CPU per message (ms)").slice(1), [
    "–",
    "0.05",
    "0.06",
    "1.2×",
    "–",
  ]);
  assert.deepEqual(row(markdown, "RSS per visitor with Redis ≤ 1.3× without (one node)").slice(2), [
    "NO",
    "1.6× against ≤ 1.3× (1.23× the bound)",
  ]);
});

test("cluster report: a saved run from before the run without Redis keeps its three columns", () => {
  const oneNode = clusterRun(1);
  const twoNodes = clusterRun(2);
  const markdown = formatClusterMarkdown(
    clusterReport({ oneNode, twoNodes, targets: checkClusterTargets(oneNode, twoNodes) }),
  );
  assert.deepEqual(row(markdown, "metric"), ["metric", "one node", "two nodes", "two/one"]);
  assert.deepEqual(row(markdown, "connect: servers' RSS per visitor (KB)").slice(1), ["6", "6", "1×"]);
  assert.equal(row(markdown, "RSS per visitor with Redis ≤ 1.3× without (one node)")[2], "–");
});
