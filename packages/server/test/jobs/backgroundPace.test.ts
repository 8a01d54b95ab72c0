/**
 * BackgroundPace on Node's own event loop: a loop kept busy makes background work wait (but
 * never past its limit), an idle one lets it go at once.
 */
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { BackgroundPace } from "../../src/jobs/backgroundPace.js";

/** Keeps the loop busy about 9 ms of every 10 until stopped, as a burst of chat would. */
function busyLoop(): () => void {
  const timer = setInterval(() => {
    const until = performance.now() + 9;
    while (performance.now() < until);
  }, 1);
  return () => clearInterval(timer);
}

describe("background pace", () => {
  it("waits while the loop is busy, up to its limit", async () => {
    const pace = new BackgroundPace({ busyAbove: 0.5, stepMs: 5, maxWaitMs: 300 });
    const stop = busyLoop();
    try {
      await sleep(120);
      assert.ok(pace.load() > 0.5, `the loop reads busy (${pace.load().toFixed(2)})`);
      const started = performance.now();
      await pace.room();
      const waited = performance.now() - started;
      assert.ok(waited >= 300, `waited its limit while the loop stayed busy (${waited.toFixed(0)} ms)`);
      assert.ok(waited < 5000, `and then went on (${waited.toFixed(0)} ms)`);
    } finally {
      stop();
    }
  });

  it("lets work go at once when the loop is idle", async () => {
    const pace = new BackgroundPace({ busyAbove: 0.5, stepMs: 2000, maxWaitMs: 10_000 });
    await sleep(120);
    assert.ok(pace.load() < 0.5, `the loop reads idle (${pace.load().toFixed(2)})`);
    const started = performance.now();
    await pace.room();
    // One step would be 2 s: far less means it did not wait.
    assert.ok(performance.now() - started < 1000, "no wait");
  });
});
