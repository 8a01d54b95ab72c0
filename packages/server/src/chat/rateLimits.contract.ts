/**
 * The Limiter contract (rateLimits.ts), written once against the interface and run on every
 * implementation (cluster/limiter.test.ts): memory and Redis must answer alike.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LimitRule, Limiter } from "./rateLimits.js";

export interface LimiterHarness {
  /** A limiter for `rule`; every limiter of one harness shares one store (as one node's do). */
  limiter(rule: LimitRule): Limiter;
  /** Moves the store's clock forward by `ms` (nothing sleeps). */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

const MINUTE: LimitRule = { name: "per-minute", points: 3, windowSeconds: 60 };

export function limiterContract(open: () => Promise<LimiterHarness>): void {
  const withHarness = (run: (harness: LimiterHarness) => Promise<void>) => async () => {
    const harness = await open();
    try {
      await run(harness);
    } finally {
      await harness.close();
    }
  };
  const takeAll = async (limiter: Limiter, key: string, count: number) => {
    const results = [];
    for (let i = 0; i < count; i++) results.push(await limiter.take(key));
    return results.map((result) => result.ok);
  };
  const refusal = async (limiter: Limiter, key: string): Promise<number> => {
    const result = await limiter.take(key);
    assert.equal(result.ok, false, "refused");
    return result.ok ? 0 : result.retryAfterMs;
  };

  describe("the Limiter contract", () => {
    it(
      "allows the rule's points at once, then refuses until the window ends, saying when",
      withHarness(async (harness) => {
        const limiter = harness.limiter(MINUTE);
        assert.deepEqual(await takeAll(limiter, "k", 3), [true, true, true]);
        const first = await refusal(limiter, "k");
        assert.ok(first > 59_000 && first <= 60_000, `retry after ${first} ms`);
        await harness.advance(20_000);
        const later = await refusal(limiter, "k");
        assert.ok(later > 39_000 && later <= 40_000, `retry after ${later} ms, 20 s later`);
      }),
    );

    it(
      "gives the allowance back when the window ends, and not a second before",
      withHarness(async (harness) => {
        const limiter = harness.limiter(MINUTE);
        await takeAll(limiter, "k", 3);
        const retryAfterMs = await refusal(limiter, "k");
        await harness.advance(retryAfterMs - 1000);
        await refusal(limiter, "k");
        await harness.advance(1000);
        assert.deepEqual(await takeAll(limiter, "k", 4), [true, true, true, false], "a whole new window");
      }),
    );

    it(
      "opens the window with the key's first event: late events in it do not carry over",
      withHarness(async (harness) => {
        const limiter = harness.limiter(MINUTE);
        await limiter.take("k");
        await harness.advance(30_000);
        await limiter.take("k");
        await harness.advance(20_000);
        await limiter.take("k");
        const retryAfterMs = await refusal(limiter, "k");
        assert.ok(
          retryAfterMs > 9_000 && retryAfterMs <= 10_000,
          `retry after ${retryAfterMs} ms, 50 s into the window`,
        );
        await harness.advance(retryAfterMs);
        assert.deepEqual(await takeAll(limiter, "k", 4), [true, true, true, false]);
      }),
    );

    it(
      "counts keys apart, and limiters of different rules apart",
      withHarness(async (harness) => {
        const minute = harness.limiter(MINUTE);
        const other = harness.limiter({ name: "other", points: 1, windowSeconds: 60 });
        assert.deepEqual(await takeAll(minute, "a", 4), [true, true, true, false]);
        assert.deepEqual(await takeAll(minute, "b", 1), [true]);
        assert.deepEqual(await takeAll(other, "a", 2), [true, false]);
      }),
    );

    it(
      "never allows more than the points to takes made at the same time",
      withHarness(async (harness) => {
        const limiter = harness.limiter(MINUTE);
        const results = await Promise.all(Array.from({ length: 12 }, () => limiter.take("k")));
        assert.equal(results.filter((result) => result.ok).length, 3);
      }),
    );

    it(
      "gives one event back on refund",
      withHarness(async (harness) => {
        const limiter = harness.limiter(MINUTE);
        await takeAll(limiter, "k", 3);
        await limiter.refund("k");
        assert.deepEqual(await takeAll(limiter, "k", 2), [true, false]);
      }),
    );

    it(
      "never raises the allowance above full with a refund",
      withHarness(async (harness) => {
        const limiter = harness.limiter(MINUTE);
        await limiter.refund("fresh");
        assert.deepEqual(await takeAll(limiter, "fresh", 4), [true, true, true, false]);
        await limiter.take("ended");
        await harness.advance(60_000);
        await limiter.refund("ended");
        assert.deepEqual(
          await takeAll(limiter, "ended", 4),
          [true, true, true, false],
          "a refund after its window ended",
        );
      }),
    );

    it(
      "gives the full allowance back at once on forget",
      withHarness(async (harness) => {
        const limiter = harness.limiter(MINUTE);
        await takeAll(limiter, "k", 4);
        await limiter.forget("k");
        await limiter.forget("never-seen");
        assert.deepEqual(await takeAll(limiter, "k", 4), [true, true, true, false]);
      }),
    );

    it(
      "never limits a rule of 0 points",
      withHarness(async (harness) => {
        const limiter = harness.limiter({ name: "off", points: 0, windowSeconds: 3600 });
        assert.ok((await takeAll(limiter, "k", 50)).every(Boolean));
        await limiter.refund("k");
        await limiter.forget("k");
      }),
    );
  });
}
