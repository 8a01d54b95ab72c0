/**
 * The job queue as tests wait on it. Every boot schedules daily housekeeping that stays pending
 * for a day (the audit log's cleanup, §17; the retention run, §17): tests that wait for the queue
 * to empty mean the work they caused, so these are left out.
 */
import { AUDIT_CLEANUP } from "../../src/chat/auditLog.js";
import type { Store, StoredJob } from "../../src/store/store.js";

const DAILY_KINDS: ReadonlySet<string> = new Set([AUDIT_CLEANUP, "privacy.retention"]);

/** The queued jobs but the daily housekeeping. */
export async function workJobs(store: Pick<Store, "listJobs">): Promise<StoredJob[]> {
  return (await store.listJobs()).filter((job) => !DAILY_KINDS.has(job.kind));
}
