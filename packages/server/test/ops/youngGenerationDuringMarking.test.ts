/**
 * With the server's Node flags, V8's young generation stays within its semi-space while a
 * mark-compact is marking (src/nodeFlags.ts says why: by default scavenges wait for the marking to
 * end, and the pause that ends it copies what grew meanwhile).
 *
 * The marking has to last for the difference to show. In the server it lasted up to 1.4 s because
 * the helper threads that mark got little of the one core; here `--single-threaded-gc` stands in
 * for that (the main thread marks in steps between its own work), so the result does not depend
 * on how many cores the machine running the tests has. Without `--no-separate-gc-phases` the same
 * run's young generation reached 85–89 MB.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { SERVER_NODE_FLAGS } from "../../src/nodeFlags.js";

/** The semi-space the server's flags give (MB): a young generation holds at most this much. */
const SEMI_SPACE_MB = Number(
  SERVER_NODE_FLAGS.find((flag) => flag.startsWith("--max-semi-space-size="))?.split("=")[1],
);

/**
 * A heap large enough that marking it takes a while (1.5 million objects), then a server's kind
 * of allocation for 3 s in event-loop turns: short-lived objects of which the last 600,000 stay
 * reachable for a while, and some that stay for good, so that mark-compacts start. Prints the
 * most the young generation ("new_space") ever held, in MB.
 */
const WORKLOAD = `
const v8 = require("node:v8");
const old = [];
for (let i = 0; i < 1_500_000; i++) old.push({ a: i, b: "x" + i });
const recent = new Array(600_000);
let made = 0;
let most = 0;
const end = Date.now() + 3000;
function turn() {
  for (let j = 0; j < 5000; j++) {
    recent[made++ % recent.length] = { v: made, s: "y" + made };
    if (made % 20_000 === 0) old.push(new Array(500).fill(made));
  }
  for (const space of v8.getHeapSpaceStatistics())
    if (space.space_name === "new_space") most = Math.max(most, space.space_used_size);
  if (Date.now() < end) setImmediate(turn);
  else console.log(JSON.stringify({ youngMostMb: most / 1e6 }));
}
turn();
`;

test("the young generation stays within its semi-space while a mark-compact marks", () => {
  assert.ok(SEMI_SPACE_MB > 0, "the server's flags set the semi-space");
  const run = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, "--single-threaded-gc", "-e", WORKLOAD], {
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(run.status, 0, run.stderr);
  const { youngMostMb } = JSON.parse(run.stdout) as { youngMostMb: number };
  // Twice the semi-space leaves room for V8's own rounding; without the flag it is ten times more.
  assert.ok(
    youngMostMb <= 2 * SEMI_SPACE_MB,
    `the young generation held ${youngMostMb.toFixed(1)} MB, more than twice its ${SEMI_SPACE_MB} MB semi-space`,
  );
});
