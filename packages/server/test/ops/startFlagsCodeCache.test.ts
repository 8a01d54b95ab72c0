/**
 * The server's command-line flags leave V8's flag hash as it is, so Node takes the code cache of
 * its own built-in modules, made when Node was built, and a restart does not compile them
 * (src/nodeFlags.ts says why the flag that would change it is set once the server is up).
 *
 * V8 keeps the hash of the flags that differ from its defaults in every code cache and refuses one
 * whose hash is not its own: a cache made by a bare `node` and offered to `node` with the
 * server's flags stands for Node's built-in cache here.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { RUNTIME_V8_FLAG_NAMES, SERVER_NODE_FLAGS } from "../../src/nodeFlags.js";

const SOURCE = "(function (a, b) { return a + b; })";

/** Prints a code cache of SOURCE, base64. */
const MAKE = `
const { Script } = require("node:vm");
process.stdout.write(new Script(${JSON.stringify(SOURCE)}).createCachedData().toString("base64"));
`;

/** Offers the cache on stdin to V8 and prints whether it refused it. */
const TAKE = `
const { Script } = require("node:vm");
const cachedData = Buffer.from(require("node:fs").readFileSync(0, "utf8"), "base64");
const script = new Script(${JSON.stringify(SOURCE)}, { cachedData });
process.stdout.write(JSON.stringify({ rejected: script.cachedDataRejected }));
`;

function node(flags: readonly string[], code: string, input = ""): string {
  const run = spawnSync(process.execPath, [...flags, "-e", code], {
    input,
    encoding: "utf8",
    timeout: 30_000,
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

function refused(flags: readonly string[]): boolean {
  const cache = node([], MAKE);
  assert.ok(cache.length > 0, "a cache was made");
  return (JSON.parse(node(flags, TAKE, cache)) as { rejected: boolean }).rejected;
}

test("a process started with the server's flags takes a code cache a bare node made", () => {
  assert.equal(refused(SERVER_NODE_FLAGS), false);
});

test("the flags the server sets once up would refuse it on the command line", () => {
  // Why they are not given there: each start would compile Node's built-ins.
  assert.equal(refused([...SERVER_NODE_FLAGS, ...RUNTIME_V8_FLAG_NAMES]), true);
});
