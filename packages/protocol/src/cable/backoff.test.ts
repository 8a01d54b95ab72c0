import assert from "node:assert/strict";
import { test } from "node:test";
import { backoffDelay, DEFAULT_BACKOFF } from "./backoff.js";

const options = { baseMs: 500, maxMs: 30_000 };
const slowest = () => 0.999_999;
const fastest = () => 0;

test("the step doubles per attempt and the delay is anywhere in it (full jitter)", () => {
  for (let attempt = 0; attempt < 6; attempt++) {
    const step = 500 * 2 ** attempt;
    assert.equal(backoffDelay(attempt, options, fastest), 0, "the bottom of the step is 0");
    assert.equal(
      backoffDelay(attempt, options, () => 0.5),
      step / 2,
    );
    const top = backoffDelay(attempt, options, slowest);
    assert.ok(top < step && top >= step - 1, `attempt ${attempt}: ${top} just under ${step}`);
  }
});

test("delays are capped and never negative", () => {
  assert.ok(backoffDelay(50, options, slowest) < 30_000);
  assert.equal(
    backoffDelay(50, options, () => 0.5),
    15_000,
  );
  assert.equal(
    backoffDelay(-3, options, () => 0.5),
    250,
  );
  assert.equal(backoffDelay(-3, options, fastest), 0);
});

test("full jitter spreads a crowd over the whole step, not its upper half", () => {
  // 10,000 clients at the same attempt, as after a restart: a quarter of them land in the
  // first quarter of the step (equal jitter put none there) and each tenth of it gets about a
  // tenth of them, so the server sees a flat rate of reconnects rather than a wall.
  const step = 500 * 2 ** 3;
  const delays = Array.from({ length: 10_000 }, () => backoffDelay(3, options));
  const buckets = new Array<number>(10).fill(0);
  for (const delay of delays) {
    assert.ok(delay >= 0 && delay < step);
    buckets[Math.floor((delay / step) * 10)]!++;
  }
  for (const [index, count] of buckets.entries())
    assert.ok(count > 800 && count < 1200, `tenth ${index} got ${count} of 10,000`);
});

test("the default stays under a second for the first minute of an outage, then grows to 30 s", () => {
  for (let attempt = 0; attempt < 200; attempt++) {
    const downForMs = attempt * 1000;
    if (downForMs >= 60_000) break;
    assert.ok(backoffDelay(attempt, DEFAULT_BACKOFF, slowest, downForMs) < 1000, `attempt ${attempt}`);
  }
  assert.ok(backoffDelay(0, DEFAULT_BACKOFF, slowest, 0) < 250, "the first retry comes quickly");
  assert.equal(
    backoffDelay(80, DEFAULT_BACKOFF, () => 0.5, 59_999),
    500,
  );
  assert.equal(
    backoffDelay(80, DEFAULT_BACKOFF, () => 0.5, 60_000),
    15_000,
    "a long outage is waited out patiently",
  );
  assert.ok(backoffDelay(80, DEFAULT_BACKOFF, slowest, 3_600_000) < 30_000);
});

test("without a quick phase, only the attempt counts", () => {
  assert.equal(
    backoffDelay(10, options, () => 0.5, 0),
    15_000,
  );
  assert.equal(
    backoffDelay(10, options, () => 0.5, 1e9),
    15_000,
  );
});
