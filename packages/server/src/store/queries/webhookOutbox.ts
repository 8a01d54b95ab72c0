/**
 * The webhook outbox's batch (webhooks/producer.ts): many deliveries and the jobs that send them
 * in one transaction, so a batch of chat's events costs one commit instead of two per delivery.
 * The rows get their ids in the order given (a conversation's events are sent in id order), and
 * the SQL keeps one shape whatever the batch's size: on SQLite each statement is built once
 * (prepared.ts) and run once per row.
 *
 * On SQLite the batch runs synchronously, as the message append does (sqliteAppend.ts says why):
 * through Kysely each row's two statements cost a promise chain of their own while the batch
 * held the one connection, and the outbox's commits took more than half as long as the appends'
 * own statements in the bench (docs/benchmarks.md). Postgres stores the batch's deliveries in
 * one statement (awaitedBatches).
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
import { prepared, preparedSync, type Placeholders } from "./prepared.js";
import { syncExecutor, type SqliteHandle } from "./sqliteAppend.js";
import { insertDelivery } from "./webhooks.js";

type StoreBatch = (rows: NewWebhookDeliveryAndWake[]) => Promise<StoredWebhookDeliveries>;

export function webhookOutboxQueries(
  db: Kysely<Database>,
  sqlite?: SqliteHandle,
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
 * Postgres: every delivery of the batch in one INSERT, then a wake per webhook. Awaited one by
 * one, each delivery was a round trip inside the open transaction, and in the bench's chat on
 * Postgres that transaction waiting for the server was the most common thing pg_stat_activity saw
 * of Parley's connections (docs/benchmarks.md, eleventh pass). `order by ord` hands out the ids in
 * the batch's order; a row whose (webhook, event key) is stored already, or came earlier in the
 * same statement, is skipped, as one insert each skipped it.
 */
function awaitedBatches(db: Kysely<Database>): StoreBatch {
  const insertWake = prepared<DedupedJob>()(dedupedJobStatement(db));
  return (rows) =>
    db.transaction().execute(async (trx) => {
      const stored = new Set(
        (await insertDeliveries(rows.map((row) => row.delivery)).execute(trx)).rows.map(
          ({ webhook_id, event_key }) => deliveryKey(webhook_id, event_key),
        ),
      );
      const tally = new BatchTally();
      for (const row of rows) {
        const key = deliveryKey(row.delivery.webhookId, row.delivery.eventKey);
        // The first row of a key is the one the insert stored; a later one in the batch was skipped.
        const inserted = stored.delete(key);
        if (tally.stored(row, inserted)) tally.jobsAdded += (await insertWake(trx, row.wake)).length;
      }
      return tally.result();
    });
}

const deliveryKey = (webhookId: number, eventKey: string) => `${webhookId}\u0000${eventKey}`;

/** The columns of insertDelivery (webhooks.ts), one array each. */
function insertDeliveries(deliveries: NewWebhookDelivery[]) {
  return sql<{ webhook_id: number; event_key: string }>`
    insert into webhook_deliveries (webhook_id, event_id, event_key, event_type, conversation_id, payload,
      status, next_attempt_at, created_at, updated_at)
    select webhook_id, event_id, event_key, event_type, conversation_id, payload, 'pending', at, at, at
    from unnest(
      ${deliveries.map((delivery) => delivery.webhookId)}::bigint[],
      ${deliveries.map((delivery) => delivery.eventId)}::text[],
      ${deliveries.map((delivery) => delivery.eventKey)}::text[],
      ${deliveries.map((delivery) => delivery.eventType)}::text[],
      ${deliveries.map((delivery) => delivery.conversationId)}::bigint[],
      ${deliveries.map((delivery) => delivery.payload)}::text[],
      ${deliveries.map((delivery) => delivery.at)}::text[]
    ) with ordinality as batch(webhook_id, event_id, event_key, event_type, conversation_id, payload, at, ord)
    order by ord
    on conflict (webhook_id, event_key) do nothing
    returning webhook_id, event_key`;
}

function sqliteBatches(db: Kysely<Database>, sqlite: SqliteHandle): StoreBatch {
  const run = syncExecutor(sqlite);
  const insertRow = preparedSync<NewWebhookDelivery>()(deliveryStatement(db));
  const insertWake = preparedSync<DedupedJob>()(dedupedJobStatement(db));
  // BEGIN IMMEDIATE: the batch writes, so it takes the write lock up front.
  const transaction = sqlite.database.transaction((rows: NewWebhookDeliveryAndWake[]) => {
    const tally = new BatchTally();
    for (const row of rows) {
      if (tally.stored(row, insertRow(run, row.delivery).length > 0))
        tally.jobsAdded += insertWake(run, row.wake).length;
    }
    return tally.result();
  });
  // Kysely's connection first, so the batch never runs inside a transaction that holds it.
  return (rows) => db.connection().execute(async () => transaction.immediate(rows));
}
