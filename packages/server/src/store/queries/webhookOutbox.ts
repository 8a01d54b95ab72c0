/**
 * The webhook outbox's batch (webhooks/producer.ts): many deliveries and the jobs that send them
 * in one transaction, so a batch of chat's events costs one commit instead of two per delivery
 * (on SQLite the turn's shared one, with that turn's appends: sqliteWrites.ts).
 * The rows get their ids in the order given (a conversation's events are sent in id order), and
 * the SQL keeps one shape whatever the batch's size: on SQLite each statement is built once
 * (prepared.ts) and run once per row.
 *
 * On SQLite the batch runs synchronously, as the message append does (sqliteAppend.ts says why):
 * through Kysely each row's two statements cost a promise chain of their own while the batch
 * held the one connection, and the outbox's commits took more than half as long as the appends'
 * own statements in the bench (docs/benchmarks.md). Postgres stores the batch, deliveries and
 * wakes, in one statement (awaitedBatches).
 */
import { sql, type Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { DedupedJob } from "../store.js";
import type {
  NewWebhookDelivery,
  NewWebhookDeliveryAndWake,
  StoredWebhookDeliveries,
  WebhookStore,
} from "../webhookStore.js";
import { dedupedJobStatement } from "./jobs.js";
import { preparedSync, type Placeholders } from "./prepared.js";
import { syncExecutor } from "./sqliteAppend.js";
import type { SqliteWriter } from "./sqliteWrites.js";
import { insertDelivery } from "./webhooks.js";

type StoreBatch = (rows: NewWebhookDeliveryAndWake[]) => Promise<StoredWebhookDeliveries>;

export function webhookOutboxQueries(
  db: Kysely<Database>,
  sqlite?: SqliteWriter,
): Pick<WebhookStore, "insertWebhookDeliveries"> {
  const storeBatch = sqlite === undefined ? awaitedBatches(db) : sqliteBatches(db, sqlite);
  return {
    insertWebhookDeliveries(rows) {
      if (rows.length === 0) return Promise.resolve({ inserted: [], jobsAdded: 0 });
      return storeBatch(rows);
    },
  };
}

/**
 * What a batch stored, row by row. A webhook's job is enqueued once per batch: after the first, a
 * pending one has the key.
 */
class BatchTally {
  readonly inserted: boolean[] = [];
  jobsAdded = 0;
  private readonly woken = new Set<string>();

  /** Notes whether the row was stored; true when its wake is still to be enqueued. */
  stored({ wake }: NewWebhookDeliveryAndWake, stored: boolean): boolean {
    this.inserted.push(stored);
    if (!stored || this.woken.has(wake.dedupeKey)) return false;
    this.woken.add(wake.dedupeKey);
    return true;
  }

  result(): StoredWebhookDeliveries {
    return { inserted: this.inserted, jobsAdded: this.jobsAdded };
  }
}

/** A delivery's insert, for `prepared` or `preparedSync`: its id, none when the event key was stored. */
function deliveryStatement(db: Kysely<Database>) {
  return (p: Placeholders<NewWebhookDelivery>) => insertDelivery(db, p).returning("id");
}

/**
 * Postgres: the whole batch in one statement, its deliveries and its wakes, so it needs no
 * transaction of its own. It was a transaction of a round trip per delivery at first, then one
 * INSERT of every delivery and a wake per webhook: with its BEGIN and COMMIT five round trips
 * per batch in the bench (two webhooks), each waking a database on the same cores. `order by ord`
 * hands out the ids in the batch's order; a row whose (webhook, event key) is stored already is
 * skipped by the insert, one that came earlier in the same batch before it (BatchTally's rule: the
 * first row of a key is the stored one). The wakes are inserted by a second data-modifying CTE
 * beside the first: per dedupe key the wake of its first stored row, unless a pending job has
 * the key. The CTEs share one snapshot, so a wake's test sees the jobs from before the
 * statement, as the separate inserts did (no two rows of a batch share a dedupe key there).
 */
function awaitedBatches(db: Kysely<Database>): StoreBatch {
  return async (rows) => {
    // A later row of a key already in the batch is never stored: leave it out of the statement.
    const keys = rows.map((row) => deliveryKey(row.delivery.webhookId, row.delivery.eventKey));
    const seen = new Set<string>();
    const sent = rows.filter((_row, i) => !seen.has(keys[i]!) && seen.add(keys[i]!));
    const { rows: result } = await insertDeliveriesAndWakes(sent).execute(db);
    const stored = new Set<string>();
    let jobsAdded = 0;
    for (const row of result) {
      if (row.job_id !== null) jobsAdded += 1;
      else stored.add(deliveryKey(row.webhook_id!, row.event_key!));
    }
    // The first row of a key is the one the statement stored; a later one in the batch was skipped.
    return { inserted: keys.map((key) => stored.delete(key)), jobsAdded };
  };
}

const deliveryKey = (webhookId: number, eventKey: string) => `${webhookId}\u0000${eventKey}`;

/**
 * The columns of insertDelivery (webhooks.ts) and of the wake's job (jobs.ts), one array each;
 * rows come back one per stored delivery (webhook_id, event_key) and one per added job (job_id).
 */
function insertDeliveriesAndWakes(rows: NewWebhookDeliveryAndWake[]) {
  const deliveries = rows.map((row) => row.delivery);
  const wakes = rows.map((row) => row.wake);
  return sql<{ webhook_id: number | null; event_key: string | null; job_id: number | null }>`
    with batch as (
      select * from unnest(
        ${deliveries.map((delivery) => delivery.webhookId)}::bigint[],
        ${deliveries.map((delivery) => delivery.eventId)}::text[],
        ${deliveries.map((delivery) => delivery.eventKey)}::text[],
        ${deliveries.map((delivery) => delivery.eventType)}::text[],
        ${deliveries.map((delivery) => delivery.conversationId)}::bigint[],
        ${deliveries.map((delivery) => delivery.contactId)}::bigint[],
        ${deliveries.map((delivery) => delivery.payload)}::text[],
        ${deliveries.map((delivery) => delivery.at)}::text[],
        ${wakes.map((wake) => wake.kind)}::text[],
        ${wakes.map((wake) => wake.payload)}::text[],
        ${wakes.map((wake) => wake.dedupeKey)}::text[],
        ${wakes.map((wake) => wake.runAt)}::text[],
        ${wakes.map((wake) => wake.at)}::text[]
      ) with ordinality as b(webhook_id, event_id, event_key, event_type, conversation_id, contact_id, payload, at,
        wake_kind, wake_payload, wake_key, wake_run_at, wake_at, ord)
    ),
    stored as (
      insert into webhook_deliveries (webhook_id, event_id, event_key, event_type, conversation_id, contact_id,
        payload, status, next_attempt_at, created_at, updated_at)
      select webhook_id, event_id, event_key, event_type, conversation_id, contact_id, payload, 'pending', at, at, at
      from batch
      order by ord
      on conflict (webhook_id, event_key) do nothing
      returning webhook_id, event_key
    ),
    woken as (
      insert into jobs (kind, payload, state, dedupe_key, run_at, created_at)
      select wake_kind, wake_payload, 'pending', wake_key, wake_run_at, wake_at
      from (
        select distinct on (b.wake_key) b.*
        from batch b
        join stored s on s.webhook_id = b.webhook_id and s.event_key = b.event_key
        order by b.wake_key, b.ord
      ) first_stored
      where not exists (select 1 from jobs j where j.dedupe_key = first_stored.wake_key and j.state = 'pending')
      order by ord
      returning id
    )
    select webhook_id, event_key, null::bigint as job_id from stored
    union all
    select null, null, id from woken`;
}

function sqliteBatches(db: Kysely<Database>, sqlite: SqliteWriter): StoreBatch {
  const run = syncExecutor(sqlite);
  const insertRow = preparedSync<NewWebhookDelivery>()(deliveryStatement(db));
  const insertWake = preparedSync<DedupedJob>()(dedupedJobStatement(db));
  const store = (rows: NewWebhookDeliveryAndWake[]) => {
    const tally = new BatchTally();
    for (const row of rows) {
      if (tally.stored(row, insertRow(run, row.delivery).length > 0))
        tally.jobsAdded += insertWake(run, row.wake).length;
    }
    return tally.result();
  };
  // In the turn's shared write transaction, with that turn's appends (sqliteWrites.ts).
  return (rows) => sqlite.writes.run(() => store(rows));
}
