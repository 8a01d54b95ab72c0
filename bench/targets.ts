/** The targets of issue #7, checked against one backend's Parley and baseline results. */
import type { ServerResult } from "./benchServer.js";
import type { ClusterRun } from "./cluster.js";
import { P99_TARGET_MS } from "./scenarios/capacity.js";

export interface TargetCheck {
  target: string;
  actual: string;
  /** undefined when the run did not measure it (e.g. --no-baseline). */
  holds: boolean | undefined;
}

const fmt = (value: number, digits = 2) =>
  Number.isFinite(value) ? String(Math.round(value * 10 ** digits) / 10 ** digits) : "–";

export function checkTargets(parley: ServerResult, baseline: ServerResult | undefined): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const { connect, chat } = parley;
  if (connect !== undefined) {
    checks.push({
      target: "no connect failures",
      actual: `${connect.failures} of ${connect.visitors}`,
      holds: connect.failures === 0,
    });
    checks.push({
      target: "connect p95 ≤ 150 ms",
      actual: `${fmt(connect.confirmP95Ms)} ms`,
      holds: connect.confirmP95Ms <= 150,
    });
    checks.push({
      target: "RSS ≤ 10 KB per visitor",
      actual: `${fmt(connect.rssPerVisitorKb)} KB`,
      holds: connect.rssPerVisitorKb <= 10,
    });
    const base = baseline?.connect?.rssPerVisitorKb;
    checks.push({
      target: "RSS per visitor ≤ 1.3× baseline",
      actual: base === undefined ? "no baseline" : `${fmt(connect.rssPerVisitorKb / base)}×`,
      holds: base === undefined ? undefined : connect.rssPerVisitorKb <= 1.3 * base,
    });
  }
  if (chat !== undefined) {
    checks.push({
      target: `p99 delivery ≤ ${P99_TARGET_MS} ms (echo, agents)`,
      actual: `${fmt(chat.echo.p99)} ms, ${fmt(chat.agents.p99)} ms`,
      holds: chat.p99 <= P99_TARGET_MS,
    });
    checks.push({
      target: "nothing missing",
      actual: `${chat.missingEchoes} echoes, ${chat.missingAgentDeliveries} agent deliveries`,
      holds: chat.missingEchoes === 0 && chat.missingAgentDeliveries === 0 && chat.refusals === 0,
    });
    const base = baseline?.chat?.serverCpuMsPerMessage;
    checks.push({
      target: "CPU per message ≤ 2× baseline",
      actual: base === undefined ? "no baseline" : `${fmt(chat.serverCpuMsPerMessage / base)}×`,
      holds: base === undefined ? undefined : chat.serverCpuMsPerMessage <= 2 * base,
    });
  }
  return checks;
}

/** Issue #9: two nodes hold twice the connections of one at the same p99. */
export function checkClusterTargets(one: ClusterRun, two: ClusterRun): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if (one.connect !== undefined && two.connect !== undefined) {
    checks.push({
      target: "two nodes hold 2× the connections of one",
      actual: `${two.connect.connected} vs ${one.connect.connected}, ${two.connect.failures} failures`,
      holds: two.connect.connected >= 2 * one.connect.connected && two.connect.failures === 0,
    });
  }
  if (one.chat !== undefined && two.chat !== undefined) {
    // "The same p99" is read as: within the p99 target, as the one node's is meant to be.
    const bound = Math.max(one.chat.p99, P99_TARGET_MS);
    checks.push({
      target: `at the same p99 (≤ max(one node's, ${P99_TARGET_MS} ms)), nothing missing`,
      actual: `${fmt(two.chat.p99)} ms vs ${fmt(one.chat.p99)} ms, ${two.chat.missingEchoes + two.chat.missingAgentDeliveries} missing`,
      holds:
        two.chat.p99 <= bound &&
        two.chat.missingEchoes === 0 &&
        two.chat.missingAgentDeliveries === 0 &&
        two.chat.refusals === 0,
    });
  }
  return checks;
}
