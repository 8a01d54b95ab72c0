import assert from "node:assert/strict";
import { test } from "node:test";
import { backoffDelay } from "./backoff.js";

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
