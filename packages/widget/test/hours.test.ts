import assert from "node:assert/strict";
import { test } from "node:test";
import { hoursWait, MAX_WAIT_MS, RETRY_MS } from "../src/hours.js";

const now = Date.parse("2025-03-10T08:59:00Z");

test("the settings are asked for again just after the hours change, spread over a few seconds", () => {
  assert.equal(hoursWait("2025-03-10T09:00:00Z", now, 0), 61_000);
  const latest = hoursWait("2025-03-10T09:00:00Z", now, 0.999) ?? 0;
  assert.ok(latest > 61_000 && latest < 66_000, String(latest));
});

test("a change far off is asked about within a day; one already past, in a minute; none, never", () => {
  assert.equal(hoursWait("2025-05-01T09:00:00Z", now, 0), MAX_WAIT_MS);
  assert.equal(hoursWait("2025-03-10T08:58:00Z", now, 0), RETRY_MS);
  assert.equal(hoursWait(null, now), undefined);
  assert.equal(hoursWait(undefined, now), undefined);
  assert.equal(hoursWait("soon", now), undefined);
});
