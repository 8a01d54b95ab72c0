/**
 * One transaction per event-loop turn for every synchronous writer on SQLite: the message appends
 * (sqliteAppend.ts), the webhook outbox's batches (webhookOutbox.ts) and the webhook deliveries'
 * claims and records (webhooks.ts). Each had a group commit or a transaction of its own, so a
 * turn that appended messages, stored the events of the turn before and claimed a batch of
 * deliveries committed three times. A commit costs by the pages it writes to the -wal file, and
 * the separate commits wrote the same pages again (each table's last leaf, the jobs table): in
 * the bench's chat the outbox's 4,218 transactions took 1.15 s and the appends' 4,098 took 1.48 s
 * for 10,000 messages (docs/benchmarks.md, seventeenth pass). Here every step handed over before
 * the turn's batch starts (on `setImmediate`, as groupCommit.ts says why) joins one BEGIN
 * IMMEDIATE … COMMIT.
 *
 * A step is a plain synchronous function: it must not catch its own statements' errors and go
 * on, because a batch is atomic only as a whole. When a step throws, the whole batch rolls back
 * and its steps run again one by one (GroupCommit), so one bad step fails alone, the others
 * commit, and each caller hears back only after the commit that holds its step.
 */
import type { Kysely } from "kysely";
import type { Database as Schema } from "../schema.js";
import { GroupCommit } from "./groupCommit.js";
import type { SqliteHandle } from "./sqliteAppend.js";

export interface SqliteWrites {
  /** Runs `step` inside this turn's write transaction; resolves with its result after the commit. */
  run<T>(step: () => T): Promise<T>;
}

/** SQLite's connection with the writers' shared transaction per turn. */
export interface SqliteWriter extends SqliteHandle {
  writes: SqliteWrites;
}

export function sqliteWrites(db: Kysely<Schema>, sqlite: SqliteHandle): SqliteWrites {
  // BEGIN IMMEDIATE: the batch writes, so it takes the write lock up front (waiting out another
  // process's writer under busy_timeout) instead of upgrading a read lock halfway through.
  const transaction = sqlite.database.transaction((steps: Array<() => unknown>) =>
    steps.map((step) => step()),
  );
  const turns = new GroupCommit<() => unknown, unknown>(
    // Kysely's connection first: SQLite has one, and a Kysely transaction elsewhere in the store
    // holds it across awaits; running our BEGIN inside it would nest these steps in someone
    // else's transaction.
    (steps) =>
      db.connection().execute(async () => {
        const results = transaction.immediate(steps);
        sqlite.checkpointer?.noteWrites(steps.length);
        return results;
      }),
    setImmediate,
  );
  return { run: <T>(step: () => T) => turns.add(step) as Promise<T> };
}
