/**
 * Crash safety on SQLite (docs/reliability.md): a node killed with -9 three times under light
 * traffic, restarted each time; visitors retry what was not echoed, with the same client_id.
 * The bench's `crash` scenario is the long version (1,000 messages a second, 20 kills).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { crashRun } from "./crashRun.js";

describe("a SQLite node killed with -9 under traffic", () => {
  it("keeps every echoed message exactly once, loses none that clients retry, and its file sound", async () => {
    const result = await crashRun({
      visitors: 8,
      rate: 40,
      kills: 3,
      minUpMs: 500,
      maxUpMs: 2500,
      drainMs: 20_000,
    });
    assert.ok(result.sent > 0);
    for (const [index, check] of result.checks.entries()) {
      assert.equal(check.integrity, "ok", `integrity after restart ${index + 1}`);
      assert.equal(check.duplicates, 0, `duplicates after restart ${index + 1}`);
      assert.equal(check.echoedButMissing, 0, `echoed but not stored after restart ${index + 1}`);
    }
    assert.equal(result.lost, 0, "every send is echoed once the clients have retried");
    assert.equal(result.checks.at(-1)!.storedRows, result.sent, "each send stored exactly once");
  });
});
