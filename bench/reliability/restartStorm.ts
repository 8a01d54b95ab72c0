/**
 * What the restart storm measures, apart from how the server is started and stopped (the bench
 * runs Parley as a process, the quick test in-process): reconnect times, connects per second,
 * and which messages sent while the visitors were away arrived, and how often.
 */
import type { ReconnectingVisitor } from "../loadgen/reconnectingVisitor.js";
import { summarize, type LatencySummary } from "../stats.js";

export interface StormFigures {
  visitors: number;
  back: number;
  reconnect: LatencySummary;
  /** Most confirmed (re)subscriptions in one second, as the clients saw them. */
  peakConnectsPerSecond: number;
  /** Attempts that failed after the server was listening again (refusals while it was down are expected). */
  failedAfterUp: number;
  failedWhileDown: number;
  expected: number;
  missing: number;
  duplicates: number;
}

/**
 * `expected`: per visitor, the ids of messages sent to it while it was away; `upAt`: when the
 * server answered again (performance.now()).
 */
export function stormFigures(
  visitors: readonly ReconnectingVisitor[],
  expected: ReadonlyMap<ReconnectingVisitor, readonly number[]>,
  upAt: number,
): StormFigures {
  const reconnectMs: number[] = [];
  const perSecond = new Map<number, number>();
  let back = 0;
  let failedAfterUp = 0;
  let failedWhileDown = 0;
  let duplicates = 0;
  for (const visitor of visitors) {
    if (visitor.connected && visitor.reconnectMs.length > 0) back++;
    reconnectMs.push(...visitor.reconnectMs);
    for (const at of visitor.reconnectedAt) {
      const second = Math.floor(at / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    for (const at of visitor.failedAt) {
      if (at >= upAt) failedAfterUp++;
      else failedWhileDown++;
    }
    for (const count of visitor.received.values()) if (count > 1) duplicates += count - 1;
  }
  let expectedCount = 0;
  let missing = 0;
  for (const [visitor, ids] of expected) {
    expectedCount += ids.length;
    for (const id of ids) if (!visitor.received.has(id)) missing++;
  }
  return {
    visitors: visitors.length,
    back,
    reconnect: summarize(reconnectMs),
    peakConnectsPerSecond: Math.max(0, ...perSecond.values()),
    failedAfterUp,
    failedWhileDown,
    expected: expectedCount,
    missing,
    duplicates,
  };
}
