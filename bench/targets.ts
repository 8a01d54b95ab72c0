/**
 * The targets, as ratios to the baseline measured in the same run on the same engine: a shared
 * machine's noise moves both servers alike, where an absolute figure moves with the neighbours.
 * The cluster's are ratios of two nodes to one node in the same run, and of one node with Redis
 * to one without.
 */
import type { ServerResult } from "./benchServer.js";
import type { ClusterRun } from "./cluster.js";
import { P99_TARGET_MS } from "./scenarios/capacity.js";
import type { Backend } from "./stores.js";

export interface TargetCheck {
  target: string;
  actual: string;
  /** undefined when the run did not measure it (e.g. --no-baseline). */
  holds: boolean | undefined;
  /** What the bound applies to: Parley/baseline (or two nodes/one), or the absolute figure. */
  value?: number;
  /** The largest (or, with `atLeast`, smallest) value that holds. */
  bound?: number;
  /** The bound is a floor (capacity), not a ceiling. */
  atLeast?: boolean;
  /** Of `value` and `bound`: "×" for a ratio, else the figure's own unit. */
  unit?: string;
}

/** Parley's latency may be twice the baseline's... */
export const LATENCY_RATIO = 2;
/** ...and its p99 within 25 ms whenever the baseline's is within half of that. */
export const P99_ABSOLUTE_MS = 25;
export const P99_ABSOLUTE_WHEN_BASELINE_MS = 12.5;
/** SQLite's insert is cheap, so Parley's own work shows more; Postgres's round trips hide some. */
export const CPU_RATIO: Record<Backend, number> = { sqlite: 1.5, postgres: 2 };
export const RSS_RATIO = 1;
export const RSS_PER_VISITOR_KB = 10;
export const CONNECT_P95_RATIO = 1.2;
export const CAPACITY_RATIO = 0.5;
export const COLD_START_RATIO = 2;
/** Two nodes' per-node figures against one node's. */
export const CLUSTER_RATIO = 1.5;
/** One node's memory per visitor with Redis against without. */
export const REDIS_RSS_RATIO = 1.3;

const fmt = (value: number, digits = 2) =>
  Number.isFinite(value) ? String(Math.round(value * 10 ** digits) / 10 ** digits) : "–";

/** `parley ≤ ratio × base` (or ≥ with `atLeast`), the check undefined when either is unmeasured. */
function ratioCheck(
  target: string,
  parley: number | undefined,
  base: number | undefined,
  ratio: number,
  unit: string,
  atLeast = false,
): TargetCheck {
  if (parley === undefined || base === undefined || !Number.isFinite(parley) || !Number.isFinite(base))
    return {
      target,
      actual: parley === undefined ? "not measured" : `${fmt(parley)}${unit}, no baseline`,
      holds: undefined,
    };
  // A zero baseline (capacity 0, an idle figure) leaves nothing to divide by: compare directly.
  const value = base > 0 ? parley / base : parley > 0 ? Number.POSITIVE_INFINITY : atLeast ? 1 : 0;
  return {
    target,
    actual: `${fmt(parley)}${unit} vs ${fmt(base)}${unit}: ${fmt(value)}×`,
    holds: atLeast ? parley >= ratio * base : parley <= ratio * base,
    value,
    bound: ratio,
    unit: "×",
    ...(atLeast ? { atLeast } : {}),
  };
}

function absoluteCheck(target: string, value: number, bound: number, unit: string): TargetCheck {
  return { target, actual: `${fmt(value)}${unit}`, holds: value <= bound, value, bound, unit };
}

export function checkTargets(
  parley: ServerResult,
  baseline: ServerResult | undefined,
  backend: Backend,
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const { connect, chat, capacity, coldStart } = parley;
  if (connect !== undefined) {
    checks.push({
      target: "no connect failures",
      actual: `${connect.failures} of ${connect.visitors}`,
      holds: connect.failures === 0,
    });
  }
  if (chat !== undefined) {
    checks.push({
      target: "nothing missing",
      actual: `${chat.missingEchoes} echoes, ${chat.missingAgentDeliveries} agent deliveries, ${chat.refusals} refused`,
      holds: chat.missingEchoes === 0 && chat.missingAgentDeliveries === 0 && chat.refusals === 0,
    });
    for (const path of ["echo", "agents"] as const) {
      for (const p of ["p50", "p99"] as const) {
        checks.push(
          ratioCheck(
            `${path} ${p} ≤ ${LATENCY_RATIO}× baseline`,
            chat[path][p],
            baseline?.chat?.[path][p],
            LATENCY_RATIO,
            " ms",
          ),
        );
      }
      const baseP99 = baseline?.chat?.[path].p99;
      // The absolute bound applies only where the baseline shows the machine could meet it.
      if (baseP99 !== undefined && baseP99 <= P99_ABSOLUTE_WHEN_BASELINE_MS)
        checks.push(
          absoluteCheck(
            `${path} p99 ≤ ${P99_ABSOLUTE_MS} ms (baseline's ≤ ${P99_ABSOLUTE_WHEN_BASELINE_MS} ms)`,
            chat[path].p99,
            P99_ABSOLUTE_MS,
            " ms",
          ),
        );
    }
    checks.push(
      ratioCheck(
        `CPU per message ≤ ${CPU_RATIO[backend]}× baseline (${backend})`,
        chat.serverCpuMsPerMessage,
        baseline?.chat?.serverCpuMsPerMessage,
        CPU_RATIO[backend],
        " ms",
      ),
    );
  }
  if (connect !== undefined) {
    checks.push(
      ratioCheck(
        `RSS per visitor ≤ ${RSS_RATIO}× baseline`,
        connect.rssPerVisitorKb,
        baseline?.connect?.rssPerVisitorKb,
        RSS_RATIO,
        " KB",
      ),
    );
    checks.push(
      absoluteCheck(
        `RSS per visitor ≤ ${RSS_PER_VISITOR_KB} KB`,
        connect.rssPerVisitorKb,
        RSS_PER_VISITOR_KB,
        " KB",
      ),
    );
    checks.push(
      ratioCheck(
        `connect p95 ≤ ${CONNECT_P95_RATIO}× baseline`,
        connect.confirmP95Ms,
        baseline?.connect?.confirmP95Ms,
        CONNECT_P95_RATIO,
        " ms",
      ),
    );
  }
  if (capacity !== undefined) {
    const check = ratioCheck(
      `capacity (p99 ≤ ${P99_TARGET_MS} ms) ≥ ${CAPACITY_RATIO}× baseline`,
      capacity.maxRate,
      baseline?.capacity?.maxRate,
      CAPACITY_RATIO,
      " msg/s",
      true,
    );
    // A load-bound search measured the load generator: the baseline's figure is then a floor.
    if (baseline?.capacity?.loadBound === true) check.actual += " (baseline's is load-bound: a floor)";
    checks.push(check);
  }
  if (coldStart !== undefined) {
    checks.push(
      ratioCheck(
        `cold start (restart median) ≤ ${COLD_START_RATIO}× baseline`,
        coldStart.restartMs,
        baseline?.coldStart?.restartMs,
        COLD_START_RATIO,
        " ms",
      ),
    );
  }
  return checks;
}

/**
 * Two nodes against one, both on Postgres + Redis (docs/scaling.md): the two-node run's per-node
 * figures within 1.5× of the one node's. And one node with Redis against one without: its memory
 * per visitor within 1.3×.
 * Latencies and connect times are what every visitor sees, whichever node it is on; RSS per
 * visitor is the nodes' summed growth over all visitors; CPU per message per node is the nodes'
 * CPU over the messages sent, each node taking in its own visitors' share.
 */
export function checkClusterTargets(one: ClusterRun, two: ClusterRun, noRedis?: ClusterRun): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if (two.connect !== undefined) {
    checks.push({
      target: "no connect failures (two nodes)",
      actual: `${two.connect.failures} of ${two.connect.visitors}`,
      holds: two.connect.failures === 0 && (one.connect?.failures ?? 0) === 0,
    });
  }
  if (two.chat !== undefined) {
    const missing = two.chat.missingEchoes + two.chat.missingAgentDeliveries;
    checks.push({
      target: "nothing missing (two nodes)",
      actual: `${missing} missing, ${two.chat.refusals} refused`,
      holds: missing === 0 && two.chat.refusals === 0,
    });
    for (const path of ["echo", "agents"] as const) {
      for (const p of ["p50", "p99"] as const) {
        checks.push(
          ratioCheck(
            `${path} ${p} ≤ ${CLUSTER_RATIO}× one node's`,
            two.chat[path][p],
            one.chat?.[path][p],
            CLUSTER_RATIO,
            " ms",
          ),
        );
      }
    }
    checks.push(
      ratioCheck(
        `CPU per message per node ≤ ${CLUSTER_RATIO}× one node's`,
        two.chat.serverCpuMsPerMessage,
        one.chat?.serverCpuMsPerMessage,
        CLUSTER_RATIO,
        " ms",
      ),
    );
  }
  if (two.connect !== undefined) {
    checks.push(
      ratioCheck(
        `connect p95 ≤ ${CLUSTER_RATIO}× one node's`,
        two.connect.confirmP95Ms,
        one.connect?.confirmP95Ms,
        CLUSTER_RATIO,
        " ms",
      ),
    );
    checks.push(
      ratioCheck(
        `RSS per visitor ≤ ${CLUSTER_RATIO}× one node's`,
        two.connect.rssPerVisitorKb,
        one.connect?.rssPerVisitorKb,
        CLUSTER_RATIO,
        " KB",
      ),
    );
  }
  if (one.connect !== undefined) {
    checks.push(
      ratioCheck(
        `RSS per visitor with Redis ≤ ${REDIS_RSS_RATIO}× without (one node)`,
        one.connect.rssPerVisitorKb,
        noRedis?.connect?.rssPerVisitorKb,
        REDIS_RSS_RATIO,
        " KB",
      ),
    );
  }
  return checks;
}

/** How far a missed target is from its bound, for the report: "2.6× against ≤ 2× (1.3× the bound)"; "" when it holds. */
export function missedBy(check: TargetCheck): string {
  if (check.holds !== false || check.value === undefined || check.bound === undefined) return "";
  const unit = check.unit ?? "";
  const over = check.atLeast ? check.bound / check.value : check.value / check.bound;
  const sign = check.atLeast ? "≥" : "≤";
  const times = Number.isFinite(over)
    ? `${fmt(over)}× the bound`
    : check.atLeast
      ? "none at all"
      : "over a zero";
  return `${fmt(check.value)}${unit} against ${sign} ${fmt(check.bound)}${unit} (${times})`;
}
