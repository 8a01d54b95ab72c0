/**
 * A job claim finds its job through the (state, run_at) index however long the queue is. Asked as
 * one `or` over "due pending" and "lapsed running", SQLite read every due job and sorted them all
 * for the first, so after a burst of webhook events (thousands of jobs) every claim was a scan.
 * The statement the store really runs is taken from its statement hook and explained on the same
 * file, over a queue of 3,000 due jobs.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { openStore } from "../../src/store/openStore.js";
import { sqlitePath } from "../../src/store/sqliteDatabase.js";
import type { Store } from "../../src/store/store.js";

const QUEUED = 3000;

describe("a job claim over a long queue (SQLite)", () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-job-claim-"));
  const statements: string[] = [];
  let store: Store;
  before(async () => {
    store = await openStore({ storageDir: dir, onQuery: (sql) => statements.push(sql) });
    await store.migrate();
    const at = new Date(Date.now() - 60_000).toISOString();
    for (let i = 0; i < QUEUED; i++)
      await store.enqueueJob({ kind: "k", payload: `{"n":${i}}`, runAt: at, at, dedupeKey: `k:${i}` });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes the oldest due job without reading and sorting the queue", async () => {
    statements.length = 0;
    const now = new Date();
    const job = await store.claimJob({
      now: now.toISOString(),
      leaseToken: "t",
      leaseUntil: new Date(now.getTime() + 60_000).toISOString(),
    });
    assert.equal(job?.payload, '{"n":0}');
    const claim = statements.find((text) => /^update "jobs"/.test(text));
    assert.ok(claim, `the claim's statement: ${statements.join("\n")}`);

    const database = new Database(sqlitePath(dir), { readonly: true });
    try {
      database.exec("analyze");
    } catch {
      // A read-only connection cannot analyze; the plan below is the planner's without statistics.
    }
    try {
      const explain = database.prepare(`explain query plan ${claim}`);
      const parameters = Array.from({ length: (claim.match(/\?/g) ?? []).length }, (_, i) =>
        i === 0 ? "running" : "2000-01-01T00:00:00.000Z",
      );
      const plan = (explain.all(...parameters) as { detail: string }[]).map((row) => row.detail).join("\n");
      assert.doesNotMatch(plan, /TEMP B-TREE/, `sorts the due jobs:\n${plan}`);
      assert.doesNotMatch(plan, /MULTI-INDEX OR/, `reads both halves whole:\n${plan}`);
      assert.doesNotMatch(plan, /^SCAN jobs/m, `reads the whole queue:\n${plan}`);
      assert.match(plan, /jobs_state_run_at/, plan);
    } finally {
      database.close();
    }
  });
});
