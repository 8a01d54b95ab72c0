import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";
import { Availability, AWAY_AFTER_MS } from "../src/availability.js";

beforeEach(() => mock.timers.enable({ apis: ["setTimeout"] }));
afterEach(() => mock.timers.reset());

function shown(initial: boolean): { availability: Availability; log: boolean[] } {
  const log: boolean[] = [];
  return { availability: new Availability(initial, (online) => log.push(online)), log };
}

test("online shows at once; away only once it has held", () => {
  const { availability, log } = shown(false);
  availability.report(true);
  assert.deepEqual(log, [false, true]);
  availability.report(false);
  mock.timers.tick(AWAY_AFTER_MS - 1);
  assert.deepEqual(log, [false, true], "an agent reloading their inbox is not an absence");
  mock.timers.tick(1);
  assert.deepEqual(log, [false, true, false]);
  availability.report(false);
  assert.deepEqual(log, [false, true, false, false], "already away: nothing to wait for");
});

test("an outage keeps the last known availability, through the server's restart", () => {
  const { availability, log } = shown(true);
  // The server goes down: its agents' connections drop first, then the visitor's.
  availability.report(false);
  availability.connectionLost();
  mock.timers.tick(AWAY_AFTER_MS * 5);
  // Back: the server answers before the agents' inboxes are back, then they are.
  availability.report(false);
  mock.timers.tick(AWAY_AFTER_MS / 2);
  availability.report(true);
  mock.timers.tick(AWAY_AFTER_MS * 2);
  assert.deepEqual(log, [true, true], "never away");
});
