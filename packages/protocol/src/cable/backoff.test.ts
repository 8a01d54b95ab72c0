import assert from "node:assert/strict";
import { test } from "node:test";
import { backoffDelay, DEFAULT_BACKOFF } from "./backoff.js";

const options = { baseMs: 500, maxMs: 30_000 };

test("delays double per attempt and stay between half and all of the step", () => {
  for (let attempt = 0; attempt < 6; attempt++) {
    const step = 500 * 2 ** attempt;
    assert.equal(
      backoffDelay(attempt, options, () => 0),
      step / 2,
    );
    assert.ok(backoffDelay(attempt, options, () => 0.999_999) <= step);
  }
});

test("delays are capped and never zero", () => {
  assert.ok(backoffDelay(50, options, () => 0.999_999) <= 30_000);
  assert.equal(
    backoffDelay(50, options, () => 0),
    15_000,
  );
  assert.equal(
    backoffDelay(-3, options, () => 0),
    250,
  );
});

test("jitter spreads clients that retry at the same attempt", () => {
  const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, options)));
  assert.ok(delays.size > 10);
});

test("the default stays under a second for the first minute of an outage, then grows to 30 s", () => {
  const slowest = () => 0.999_999;
  for (let attempt = 0; attempt < 200; attempt++) {
    const downForMs = attempt * 1000;
    if (downForMs >= 60_000) break;
    assert.ok(backoffDelay(attempt, DEFAULT_BACKOFF, slowest, downForMs) <= 1000, `attempt ${attempt}`);
  }
  assert.equal(
    backoffDelay(0, DEFAULT_BACKOFF, () => 0, 0),
    125,
    "the first retry comes quickly",
  );
  assert.equal(
    backoffDelay(80, DEFAULT_BACKOFF, () => 0, 59_999),
    500,
  );
  assert.equal(
    backoffDelay(80, DEFAULT_BACKOFF, () => 0, 60_000),
    15_000,
    "a long outage is waited out patiently",
  );
  assert.ok(backoffDelay(80, DEFAULT_BACKOFF, slowest, 3_600_000) <= 30_000);
});

test("without a quick phase, only the attempt counts", () => {
  assert.equal(
    backoffDelay(10, options, () => 0, 0),
    15_000,
  );
  assert.equal(
    backoffDelay(10, options, () => 0, 1e9),
    15_000,
  );
});
