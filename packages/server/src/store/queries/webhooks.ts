/** Webhooks and their deliveries (migration 008): the rows behind webhookStore.ts. */
import { sql, type Kysely, type Selectable } from "kysely";
import type { WebhookEventType } from "@parley/protocol";
import type { Database, Engine, WebhookDeliveriesTable, WebhooksTable } from "../schema.js";
import type {
  DeliveryAttempt,
  NewWebhookDelivery,
  StoredWebhook,
  StoredWebhookDelivery,
  WebhookStore,
} from "../webhookStore.js";
import { prepared, preparedSync, type Placeholders } from "./prepared.js";
import { syncExecutor } from "./sqliteAppend.js";
import type { SqliteWriter } from "./sqliteWrites.js";

/** A stored error is for an owner to read, not a dump. */
const MAX_ERROR_LENGTH = 500;

function toWebhook(row: Selectable<WebhooksTable>): StoredWebhook {
  return {
    id: row.id,
    siteId: row.site_id,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEventType[],
    format: row.format,
    secret: row.secret,
    enabled: Number(row.enabled) === 1,
    disabledAt: row.disabled_at,
    disabledReason: row.disabled_reason,
    failingSince: row.failing_since,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): StoredWebhookDelivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    eventKey: row.event_key,
    eventType: row.event_type as WebhookEventType,
    conversationId: row.conversation_id,
    contactId: row.contact_id,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lockedUntil: row.locked_until,
    responseStatus: row.response_status,
    lastError: row.last_error,
    durationMs: row.duration_ms,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deliveredAt: row.delivered_at,
  };
}

/** A pending delivery, unless its (webhook, event key) is stored already. */
export function insertDelivery(db: Kysely<Database>, input: NewWebhookDelivery) {
  return db
    .insertInto("webhook_deliveries")
    .values({
      webhook_id: input.webhookId,
      event_id: input.eventId,
      event_key: input.eventKey,
      event_type: input.eventType,
      conversation_id: input.conversationId,
      contact_id: input.contactId,
      payload: input.payload,
      status: "pending",
      next_attempt_at: input.at,
      locked_until: null,
      response_status: null,
      last_error: null,
      duration_ms: null,
      created_at: input.at,
      updated_at: input.at,
      delivered_at: null,
    })
    .onConflict((conflict) => conflict.columns(["webhook_id", "event_key"]).doNothing());
}

export function webhookQueries(
  db: Kysely<Database>,
  engine: Engine,
  sqlite?: SqliteWriter,
): Omit<WebhookStore, "insertWebhookDeliveries"> {
  const sending = sqlite === undefined ? awaitedSending(db) : sqliteSending(db, sqlite);
  const webhook = prepared<{ id: number }>()((p) =>
    db.selectFrom("webhooks").selectAll().where("id", "=", p.id),
  );
  return {
    async createWebhook(input) {
      const row = await db
        .insertInto("webhooks")
        .values({
          site_id: input.siteId,
          url: input.url,
          events: JSON.stringify(input.events),
          format: input.format,
          secret: input.secret,
          enabled: input.enabled ? 1 : 0,
          disabled_at: input.enabled ? null : input.at,
          disabled_reason: input.enabled ? null : "created disabled",
          failing_since: null,
          created_at: input.at,
          updated_at: input.at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toWebhook(row);
    },

    async listWebhooks(siteId) {
      const rows = await db
        .selectFrom("webhooks")
        .selectAll()
        .where("site_id", "=", siteId)
        .orderBy("id", "asc")
        .execute();
      return rows.map(toWebhook);
    },

    async getWebhook(id) {
      const [row] = await webhook(db, { id });
      return row === undefined ? undefined : toWebhook(row);
    },

    async updateWebhook(id, patch) {
      const row = await db
        .updateTable("webhooks")
        .set({
          updated_at: patch.at,
          ...(patch.url === undefined ? {} : { url: patch.url }),
          ...(patch.events === undefined ? {} : { events: JSON.stringify(patch.events) }),
          ...(patch.format === undefined ? {} : { format: patch.format }),
          ...(patch.enabled === undefined ? {} : { enabled: patch.enabled ? 1 : 0 }),
          ...(patch.disabledAt === undefined ? {} : { disabled_at: patch.disabledAt }),
          ...(patch.disabledReason === undefined
            ? {}
            : { disabled_reason: patch.disabledReason?.slice(0, MAX_ERROR_LENGTH) ?? null }),
          ...(patch.failingSince === undefined ? {} : { failing_since: patch.failingSince }),
        })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : toWebhook(row);
    },

    async deleteWebhook(id) {
      // SQLite enforces the cascade only with foreign keys on; say it outright on both engines.
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom("webhook_deliveries").where("webhook_id", "=", id).execute();
        const result = await trx.deleteFrom("webhooks").where("id", "=", id).executeTakeFirst();
        return result.numDeletedRows > 0n;
      });
    },

    async insertWebhookDelivery(input) {
      const row = await insertDelivery(db, input).returningAll().executeTakeFirst();
      return row === undefined ? undefined : toDelivery(row);
    },

    async getWebhookDelivery(id) {
      const row = await db
        .selectFrom("webhook_deliveries")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row === undefined ? undefined : toDelivery(row);
    },

    async claimWebhookDeliveries(webhookId, claim) {
      const rows = await sending.claim({ webhookId, ...claim });
      // Oldest first, as they were chosen: RETURNING promises no order.
      return rows.map(toDelivery).sort((a, b) => a.id - b.id);
    },

    async nextWebhookRetryAt(webhookId, now) {
      const row = await db
        .selectFrom("webhook_deliveries")
        .select((eb) => eb.fn.min("next_attempt_at").as("at"))
        .where("webhook_id", "=", webhookId)
        .where("status", "=", "pending")
        .where("next_attempt_at", ">", now)
        .executeTakeFirst();
      return row?.at ?? undefined;
    },

    async recordWebhookDeliveryAttempts(attempts) {
      if (attempts.length === 0) return;
      await sending.record(
        attempts.map(({ id, attempt }) => ({
          id,
          ...attempt,
          error: attempt.error?.slice(0, MAX_ERROR_LENGTH) ?? null,
        })),
      );
    },

    async failPendingWebhookDeliveries(webhookId, reason, at) {
      const result = await db
        .updateTable("webhook_deliveries")
        .set({
          status: "failed",
          next_attempt_at: null,
          locked_until: null,
          last_error: reason.slice(0, MAX_ERROR_LENGTH),
          updated_at: at,
        })
        .where("webhook_id", "=", webhookId)
        .where("status", "=", "pending")
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async listWebhooksWithPending() {
      const rows = await db
        .selectFrom("webhook_deliveries")
        .select("webhook_id")
        .distinct()
        .where("status", "=", "pending")
        .execute();
      return rows.map((row) => row.webhook_id);
    },

    async listWebhookDeliveries(webhookId, page) {
      let query = db.selectFrom("webhook_deliveries").selectAll().where("webhook_id", "=", webhookId);
      if (page.beforeId !== undefined) query = query.where("id", "<", page.beforeId);
      const rows = await query.orderBy("id", "desc").limit(page.limit).execute();
      return rows.map(toDelivery);
    },
  };
}

/** An attempt of delivery `id`, its error already cut to MAX_ERROR_LENGTH. */
interface AttemptParams extends DeliveryAttempt {
  id: number;
}

/** What sending deliveries writes: a batch's claim, then the batch's attempts. */
interface Sending {
  claim(params: ClaimParams): Promise<Selectable<WebhookDeliveriesTable>[]>;
  record(attempts: AttemptParams[]): Promise<void>;
}

interface ClaimParams {
  webhookId: number;
  now: string;
  until: string;
  limit: number;
}

/**
 * An attempt's statement, prepared (prepared.ts). A statement's shape cannot depend on a
 * parameter, so a delivered attempt (its delivered_at set) has a statement of its own.
 */
function recordStatement(db: Kysely<Database>, delivered: boolean) {
  return (p: Placeholders<AttemptParams>) =>
    db
      .updateTable("webhook_deliveries")
      .set((eb) => ({
        status: p.status,
        attempts: eb("attempts", "+", 1),
        next_attempt_at: p.nextAttemptAt,
        locked_until: null,
        response_status: p.responseStatus,
        last_error: p.error,
        duration_ms: p.durationMs,
        updated_at: p.at,
        ...(delivered ? { delivered_at: p.at } : {}),
      }))
      .where("id", "=", p.id);
}

/**
 * The deliveries a batch may take, oldest first: each pending, due, unclaimed and the first
 * pending one of its conversation, or for an event about no conversation of its contact (018). The
 * webhook's pending deliveries are read in id order (017's index) until `limit` are found; "first"
 * is asked as two `not exists`, one for a conversation (008's pending index) and one for a contact
 * (018's), because one `is` between the two rows' columns would not use an index on Postgres. A
 * row stored before 018 about no conversation has no contact, and none goes before it.
 *
 * On Postgres each `not exists` ends in `offset 0`, which keeps it a lookup per row read: the
 * planner otherwise turns it into an anti-join, and planned with statistics taken while the table
 * was small (a new install's first burst; every bench run), that join read all the webhook's
 * pending deliveries for each row read: a claim of 8 took 44 ms and one of 32 took 105 ms, against
 * 1.1 and 1.3 ms with the lookups, on the same 6,000 pending rows. SQLite takes no `offset`
 * without a `limit`, and plans these as lookups anyway.
 */
function sendable(db: Kysely<Database>, p: Placeholders<ClaimParams>, postgres: boolean) {
  return db
    .selectFrom("webhook_deliveries as d")
    .where("d.webhook_id", "=", p.webhookId)
    .where("d.status", "=", "pending")
    .where((eb) => eb.or([eb("d.next_attempt_at", "is", null), eb("d.next_attempt_at", "<=", p.now)]))
    .where((eb) => eb.or([eb("d.locked_until", "is", null), eb("d.locked_until", "<", p.now)]))
    .where((eb) => {
      const earlier = eb
        .selectFrom("webhook_deliveries as e")
        .select("e.id")
        .where("e.webhook_id", "=", p.webhookId)
        .where("e.status", "=", "pending")
        .whereRef("e.id", "<", "d.id")
        .$if(postgres, (query) => query.modifyEnd(sql`offset 0`));
      return eb.and([
        eb.not(eb.exists(earlier.whereRef("e.conversation_id", "=", "d.conversation_id"))),
        eb.or([
          eb("d.conversation_id", "is not", null),
          eb.not(
            eb.exists(
              earlier.where("e.conversation_id", "is", null).whereRef("e.contact_id", "=", "d.contact_id"),
            ),
          ),
        ]),
      ]);
    })
    .orderBy("d.id", "asc")
    .limit(p.limit);
}

/**
 * Postgres: the reading and the claim in one statement, the rows another node's claim is taking
 * skipped rather than waited for, and a batch's attempts in one statement (recordAll).
 */
function awaitedSending(db: Kysely<Database>): Sending {
  // The ids are chosen first, once, as an array: `= any(array(…))` is planned as one subquery
  // run before the update, then lookups by primary key. As `update … where id in (select …)`,
  // with statistics from while the table was small, the planner ran the choice again for every
  // pending row (minutes over 6,000: webhookClaimPlan.test.ts).
  const claim = prepared<ClaimParams>()((p) => {
    const chosen = sendable(db, p, true).select("d.id").forUpdate().skipLocked();
    return (
      db
        .updateTable("webhook_deliveries")
        .set({ locked_until: p.until })
        .where(sql<boolean>`id = any(array(${chosen}))`)
        // Checked again on the row itself: a row another claim took meanwhile is read anew.
        .where("status", "=", "pending")
        .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", p.now)]))
        .returningAll()
    );
  });
  return {
    claim: (params) => claim(db, params),
    record: async (attempts) => {
      await recordAll(attempts).execute(db);
    },
  };
}

/**
 * Postgres: a batch's attempts in one UPDATE, whatever its size. One statement each in a
 * transaction cost a round trip per attempt, the transaction open across all of them: in the
 * bench's chat on Postgres, "idle in transaction" waiting for the server in these updates was a
 * fifth of what pg_stat_activity saw of Parley's connections (docs/benchmarks.md, eleventh pass).
 * The columns are those of recordStatement; a delivered attempt also sets delivered_at.
 */
function recordAll(attempts: AttemptParams[]) {
  return sql`
    update webhook_deliveries as d set
      status = a.status,
      attempts = d.attempts + 1,
      next_attempt_at = a.next_attempt_at,
      locked_until = null,
      response_status = a.response_status,
      last_error = a.last_error,
      duration_ms = a.duration_ms,
      updated_at = a.at,
      delivered_at = case when a.status = 'delivered' then a.at else d.delivered_at end
    from unnest(
      ${attempts.map((attempt) => attempt.id)}::bigint[],
      ${attempts.map((attempt) => attempt.status)}::text[],
      ${attempts.map((attempt) => attempt.nextAttemptAt)}::text[],
      ${attempts.map((attempt) => attempt.responseStatus)}::integer[],
      ${attempts.map((attempt) => attempt.error)}::text[],
      ${attempts.map((attempt) => attempt.durationMs)}::integer[],
      ${attempts.map((attempt) => attempt.at)}::text[]
    ) as a(id, status, next_attempt_at, response_status, last_error, duration_ms, at)
    where d.id = a.id`;
}

/**
 * SQLite: each step one synchronous transaction, as the message append and the webhook outbox
 * run (sqliteAppend.ts says why), in the turn's shared write transaction (sqliteWrites.ts). The
 * claim reads the batch and then marks its rows: one `update … where id in (select …)` took three
 * times as long as the two (about 180 against 60 µs for eight rows, measured on better-sqlite3),
 * and inside the write transaction nothing can take the rows between the read and the mark.
 * Choosing in JavaScript instead, reading only the columns the rule needs in id order and then
 * the chosen rows whole, cost more in the bench's chat: the rows read past in a backlog cost more
 * than the two lookups each, and each chosen row is read whole anyway (docs/benchmarks.md,
 * twenty-sixth pass).
 */
function sqliteSending(db: Kysely<Database>, sqlite: SqliteWriter): Sending {
  const run = syncExecutor(sqlite);
  const read = preparedSync<ClaimParams>()((p) => sendable(db, p, false).selectAll("d"));
  const mark = preparedSync<{ id: number; until: string }>()((p) =>
    db.updateTable("webhook_deliveries").set({ locked_until: p.until }).where("id", "=", p.id),
  );
  const recordAttempt = preparedSync<AttemptParams>()(recordStatement(db, false));
  const recordDelivered = preparedSync<AttemptParams>()(recordStatement(db, true));
  const claim = (params: ClaimParams) => {
    const rows = read(run, params);
    for (const row of rows) {
      mark(run, { id: row.id, until: params.until });
      row.locked_until = params.until;
    }
    return rows;
  };
  const record = (attempts: AttemptParams[]) => {
    for (const attempt of attempts)
      (attempt.status === "delivered" ? recordDelivered : recordAttempt)(run, attempt);
  };
  return {
    claim: (params) => sqlite.writes.run(() => claim(params)),
    record: (attempts) => sqlite.writes.run(() => record(attempts)),
  };
}
