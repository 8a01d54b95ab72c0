/**
 * The audit log's daily cleanup (protocol §17): entries older than the owner setting
 * `audit_log_days` go, exactly those, in batches; running it again deletes nothing. It runs as the
 * durable job `audit.cleanup`, at boot and a day after each run, one pending at a time.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { NewAuditEntry } from "../../src/store/auditStore.js";
import { AUDIT_CLEANUP } from "../../src/chat/auditLog.js";
import { StoreJobQueue } from "../../src/jobs/queue.js";
import { call, ENGINES, skipFor, startAuditServer, storedEntries, type AuditServer } from "./harness.js";

const DAY = 24 * 60 * 60 * 1000;

const entryAt = (at: Date, n: number): NewAuditEntry => ({
  action: "settings.updated",
  agentId: 1,
  agentName: "Owner",
  apiTokenId: null,
  ipAddress: null,
  targetType: null,
  targetId: null,
  siteId: null,
  details: { n },
  at: at.toISOString(),
});

async function eventually<T>(read: () => Promise<T | undefined | false>, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const engine of ENGINES) {
  describe(`the audit log's cleanup (${engine})`, { skip: skipFor(engine) }, () => {
    let audit: AuditServer;

    before(async () => {
      audit = await startAuditServer(engine);
    });
    after(() => audit?.dispose());

    it("runs at boot and puts the next run a day later, one pending at a time", async () => {
      const { store } = audit.server;
      const next = await eventually(async () => {
        const jobs = (await store.listJobs()).filter((job) => job.kind === AUDIT_CLEANUP);
        return jobs.length === 1 &&
          jobs[0]!.state === "pending" &&
          Date.parse(jobs[0]!.runAt) > Date.now() + DAY / 2
          ? jobs[0]
          : undefined;
      }, "the boot's run to schedule the next");
      assert.equal(next.dedupeKey, AUDIT_CLEANUP);
      // A second boot's enqueue while that one waits adds nothing.
      await audit.server.chat.audit.scheduleCleanup(new StoreJobQueue(store));
      assert.equal((await store.listJobs()).filter((job) => job.kind === AUDIT_CLEANUP).length, 1);
    });

    it("deletes exactly the entries older than audit_log_days, and nothing more when run again", async () => {
      const { store, chat } = audit.server;
      const changed = await call(audit.server, "PATCH", "/settings", {
        cookie: audit.ownerCookie,
        json: { audit_log_days: 30 },
      });
      assert.equal(changed.status, 200);
      const now = Date.now();
      const edge = now - 30 * DAY;
      const old = [edge - 60_000, edge - 10 * DAY, edge - 400 * DAY];
      const kept = [edge + 60_000, now - DAY];
      for (const [i, at] of [...old, ...kept].entries())
        await store.insertAuditEntry(entryAt(new Date(at), i));
      const before = await storedEntries(audit.server);

      assert.equal(await chat.audit.cleanup(), old.length);
      const left = await storedEntries(audit.server);
      assert.deepEqual(
        left.map((entry) => entry.id),
        before.filter((entry) => Date.parse(entry.at) >= edge).map((entry) => entry.id),
      );
      assert.equal(left.length, before.length - old.length);
      assert.equal(await chat.audit.cleanup(), 0, "idempotent");
      assert.equal((await storedEntries(audit.server)).length, left.length);
    });

    it("deletes in batches, oldest first, so a long backlog goes a batch at a time", async () => {
      const { store } = audit.server;
      const long = Date.now() - 1000 * DAY;
      for (let i = 0; i < 5; i += 1) await store.insertAuditEntry(entryAt(new Date(long + i), 100 + i));
      const cutoff = new Date(long + 1000).toISOString();
      assert.equal(await store.deleteAuditEntriesBefore(cutoff, 2), 2);
      const remaining = (await storedEntries(audit.server)).filter((entry) => entry.at < cutoff);
      assert.deepEqual(
        remaining.map((entry) => entry.details.n),
        [102, 103, 104],
      );
      assert.equal(await store.deleteAuditEntriesBefore(cutoff, 2), 2);
      assert.equal(await store.deleteAuditEntriesBefore(cutoff, 2), 1);
      assert.equal(await store.deleteAuditEntriesBefore(cutoff, 2), 0);
    });
  });
}
