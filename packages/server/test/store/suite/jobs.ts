/** The durable job queue: enqueue with dedupe, claims under a lease, finishing and retrying. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Store } from "../../../src/store/store.js";
import { at, withStore, type StoreFactory } from "./harness.js";

function lease(store: Store, now: string, token: string, seconds = 60) {
  return store.claimJob({
    now,
    leaseToken: token,
    leaseUntil: new Date(Date.parse(now) + seconds * 1000).toISOString(),
  });
}

export function jobTests(fresh: StoreFactory): void {
  describe("jobs", () => {
    it("claims due jobs earliest first, each once, and leaves later ones", () =>
      withStore(fresh, async (store) => {
        assert.equal(
          await store.enqueueJob({ kind: "k", payload: '{"n":2}', runAt: at(2), at: at(0) }),
          true,
        );
        assert.equal(
          await store.enqueueJob({ kind: "k", payload: '{"n":1}', runAt: at(1), at: at(0) }),
          true,
        );
        assert.equal(
          await store.enqueueJob({ kind: "k", payload: '{"n":9}', runAt: at(9), at: at(0) }),
          true,
        );

        const first = await lease(store, at(5), "t1");
        assert.equal(first?.payload, '{"n":1}');
        assert.equal(first?.state, "running");
        assert.equal(first?.attempts, 0);
        assert.equal(first?.leaseToken, "t1");
        const second = await lease(store, at(5), "t2");
        assert.equal(second?.payload, '{"n":2}');
        assert.equal(await lease(store, at(5), "t3"), undefined, "the third is not due yet");
        assert.deepEqual(
          (await store.listJobs()).map((job) => [job.payload, job.state]),
          [
            ['{"n":2}', "running"],
            ['{"n":1}', "running"],
            ['{"n":9}', "pending"],
          ],
        );
      }));

    it("completes only under the claim's own lease", () =>
      withStore(fresh, async (store) => {
        await store.enqueueJob({ kind: "k", payload: "{}", runAt: at(0), at: at(0) });
        const job = await lease(store, at(1), "mine");
        assert.ok(job);
        assert.equal(await store.completeJob(job.id, "someone-else"), false);
        assert.equal(await store.completeJob(job.id, "mine"), true);
        assert.equal(await store.completeJob(job.id, "mine"), false);
        assert.deepEqual(await store.listJobs(), []);
      }));

    it("reclaims a job whose lease lapsed, and the old lease can no longer finish it", () =>
      withStore(fresh, async (store) => {
        await store.enqueueJob({ kind: "k", payload: "{}", runAt: at(0), at: at(0) });
        const crashed = await lease(store, at(1), "crashed", 10);
        assert.ok(crashed);
        assert.equal(await lease(store, at(5), "early"), undefined, "still leased");
        const again = await lease(store, at(12), "later");
        assert.equal(again?.id, crashed.id);
        assert.equal(await store.completeJob(crashed.id, "crashed"), false);
        assert.equal(await store.rescheduleJob(crashed.id, "crashed", { runAt: at(20) }), false);
        assert.equal(await store.completeJob(crashed.id, "later"), true);
      }));

    it("reschedules: a failure counts an attempt and keeps the error, a postponement does not", () =>
      withStore(fresh, async (store) => {
        await store.enqueueJob({ kind: "k", payload: "{}", runAt: at(0), at: at(0) });
        const job = await lease(store, at(1), "a");
        assert.ok(job);
        assert.equal(
          await store.rescheduleJob(job.id, "a", { runAt: at(10), error: "503 from the push service" }),
          true,
        );
        let [stored] = await store.listJobs();
        assert.deepEqual(
          {
            state: stored?.state,
            runAt: stored?.runAt,
            attempts: stored?.attempts,
            lastError: stored?.lastError,
          },
          { state: "pending", runAt: at(10), attempts: 1, lastError: "503 from the push service" },
        );
        assert.equal(await lease(store, at(9), "b"), undefined);
        const retried = await lease(store, at(10), "b");
        assert.equal(retried?.attempts, 1);
        assert.equal(await store.rescheduleJob(job.id, "b", { runAt: at(70) }), true);
        [stored] = await store.listJobs();
        assert.equal(stored?.attempts, 1, "a postponement is not a failed attempt");
        assert.equal(stored?.runAt, at(70));
      }));

    it("collapses an enqueue into a pending job with the same dedupe key, but not into a running one", () =>
      withStore(fresh, async (store) => {
        const job = (payload: string) => ({
          kind: "k",
          payload,
          runAt: at(0),
          dedupeKey: "agent-1:conv-2",
          at: at(0),
        });
        assert.equal(await store.enqueueJob(job("first")), true);
        assert.equal(await store.enqueueJob(job("second")), false);
        assert.equal(await store.enqueueJob({ ...job("other key"), dedupeKey: "agent-1:conv-3" }), true);
        assert.equal(await store.enqueueJob({ ...job("no key"), dedupeKey: null }), true);
        assert.equal(await store.enqueueJob({ ...job("no key again"), dedupeKey: null }), true);
        const running = await lease(store, at(1), "t");
        assert.equal(running?.payload, "first");
        assert.equal(await store.enqueueJob(job("while running")), true);
        assert.deepEqual(
          (await store.listJobs()).map((stored) => stored.payload),
          ["first", "other key", "no key", "no key again", "while running"],
        );
      }));

    it("hands each job to exactly one of many concurrent claimers", () =>
      withStore(fresh, async (store) => {
        for (let i = 0; i < 20; i++)
          await store.enqueueJob({ kind: "k", payload: `${i}`, runAt: at(0), at: at(0) });
        const claims = await Promise.all(Array.from({ length: 30 }, (_, i) => lease(store, at(1), `w${i}`)));
        const ids = claims.flatMap((claim) => (claim === undefined ? [] : [claim.id]));
        assert.equal(ids.length, 20);
        assert.equal(new Set(ids).size, 20);
      }));
  });
}
