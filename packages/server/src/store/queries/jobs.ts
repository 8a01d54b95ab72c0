/** The durable job queue's rows: enqueue, claim under a lease, finish or reschedule. */
import { sql, type ExpressionBuilder, type Kysely } from "kysely";
import { toJob } from "../rows.js";
import type { Database, Engine } from "../schema.js";
import type { DedupedJob, NewJob, Store } from "../store.js";
import { prepared, type Placeholders } from "./prepared.js";

export type JobQueries = Pick<
  Store,
  "enqueueJob" | "claimJob" | "completeJob" | "rescheduleJob" | "listJobs" | "countJobs"
>;

/** A stored error is for an operator to read, not a dump. */
const MAX_ERROR_LENGTH = 500;

export function jobQueries(db: Kysely<Database>, engine: Engine): JobQueries {
  // Prepared (prepared.ts): a worker claims and completes a job for every webhook delivery.
  const claim = prepared<Lease>()((p) => claimStatement(db, engine, p));
  const complete = prepared<{ id: number; leaseToken: string }>()((p) =>
    db.deleteFrom("jobs").where("id", "=", p.id).where("lease_token", "=", p.leaseToken).returning("id"),
  );

  return {
    // One statement (insert … select … where not exists), so on SQLite it is atomic; on Postgres
    // two nodes may race past the check, which the contract allows.
    async enqueueJob(job) {
      const result = await insertJob(db, job, job.dedupeKey ?? null).executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },

    async claimJob(lease) {
      const [row] = await claim(db, lease);
      return (
        row && { ...toJob(row), state: "running", leaseToken: lease.leaseToken, leaseUntil: lease.leaseUntil }
      );
    },

    async completeJob(id, leaseToken) {
      return (await complete(db, { id, leaseToken })).length > 0;
    },

    async rescheduleJob(id, leaseToken, next) {
      const result = await db
        .updateTable("jobs")
        .set({ state: "pending", run_at: next.runAt, lease_token: null, lease_until: null })
        .$if(next.error !== undefined, (update) =>
          update.set((eb) => ({
            attempts: eb("attempts", "+", 1),
            last_error: (next.error ?? "").slice(0, MAX_ERROR_LENGTH),
          })),
        )
        .where("id", "=", id)
        .where("lease_token", "=", leaseToken)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async listJobs() {
      const rows = await db.selectFrom("jobs").selectAll().orderBy("id", "asc").execute();
      return rows.map(toJob);
    },

    async countJobs() {
      const rows = await db
        .selectFrom("jobs")
        .select(["state", (eb) => eb.fn.countAll<number | string>().as("count")])
        .groupBy("state")
        .execute();
      const count = (state: string) => Number(rows.find((row) => row.state === state)?.count ?? 0);
      return { pending: count("pending"), running: count("running") };
    },
  };
}

type Lease = Parameters<Store["claimJob"]>[0];

/** claimJob's statement: takes the job due first under the lease, returning its row. */
function claimStatement(
  db: Kysely<Database>,
  engine: Engine,
  { now, leaseToken, leaseUntil }: Placeholders<Lease>,
) {
  const due = (eb: ExpressionBuilder<Database, "jobs">) =>
    eb.or([
      eb.and([eb("state", "=", "pending"), eb("run_at", "<=", now)]),
      eb.and([eb("state", "=", "running"), eb("lease_until", "<", now)]),
    ]);
  // The job to take, each half through the (state, run_at) index: one whose worker died (its
  // lease lapsed; running jobs are few), else the oldest due pending one. Asked as one `or`,
  // the planner read every due job and sorted them all for the first, so a claim cost grew
  // with the queue: thousands of webhook jobs after a burst made every claim a scan.
  const oldest = (state: "pending" | "running") =>
    db
      .selectFrom("jobs")
      .select("id")
      .where("state", "=", state)
      .where(state === "pending" ? "run_at" : "lease_until", state === "pending" ? "<=" : "<", now)
      .orderBy("run_at", "asc")
      .orderBy("id", "asc")
      .limit(1)
      // Another node's worker skips the row this one is taking instead of waiting for it.
      .$if(engine === "postgres", (query) => query.forUpdate().skipLocked());
  return (
    db
      .updateTable("jobs")
      .set({ state: "running", lease_token: leaseToken, lease_until: leaseUntil })
      .where("id", "=", sql<number>`coalesce(${oldest("running")}, ${oldest("pending")})`)
      // Checked again on the row itself: on SQLite this statement is the whole claim.
      .where(due)
      .returningAll()
  );
}

/** enqueueJob's statement: the job, unless `dedupeKey` is set and a pending job has it. */
function insertJob(db: Kysely<Database>, job: Omit<NewJob, "dedupeKey">, dedupeKey: string | null) {
  return db
    .insertInto("jobs")
    .columns(["kind", "payload", "state", "dedupe_key", "run_at", "created_at"])
    .expression(() => {
      const values = db.selectNoFrom((eb) => [
        eb.val(job.kind).as("kind"),
        eb.val(job.payload).as("payload"),
        eb.val("pending").as("state"),
        eb.val(dedupeKey).as("dedupe_key"),
        eb.val(job.runAt).as("run_at"),
        eb.val(job.at).as("created_at"),
      ]);
      if (dedupeKey === null) return values;
      return values.where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("jobs")
              .select("id")
              .where("dedupe_key", "=", dedupeKey)
              .where("state", "=", "pending"),
          ),
        ),
      );
    });
}

/**
 * enqueueJob with a dedupe key, for `prepared` or `preparedSync` to build once (prepared.ts) and
 * run inside another write's transaction (the webhook outbox wakes its jobs in the transaction
 * that stores its rows). Returns the added job's id, none when a pending one has the key.
 */
export function dedupedJobStatement(db: Kysely<Database>) {
  return (p: Placeholders<DedupedJob>) => insertJob(db, p, p.dedupeKey).returning("id");
}
