/** Messages: appended once per (conversation, client id), read in id order. */
import { sql, type Kysely, type Transaction } from "kysely";
import { toMessage } from "../rows.js";
import { GroupCommit } from "./groupCommit.js";
import { postgresAppendStatement } from "./postgresAppendStatement.js";
import { postgresBatchAppender, type BatchedAppend } from "./postgresBatchAppend.js";
import { prepared } from "./prepared.js";
import {
  insertMessageStatement,
  storedMessageStatement,
  touchStatements,
  type InsertMessageParams,
  type TouchParams,
} from "./appendStatements.js";
import { sqliteAppends, type AppendQueries } from "./sqliteAppend.js";
import type { SqliteWriter } from "./sqliteWrites.js";
import { attachmentsOfMessage, claimAttachments } from "./attachments.js";
import { conversationCreator } from "./conversations.js";
import type { Database, Engine } from "../schema.js";
import type { NewFirstMessage, NewMessage, Store } from "../store.js";

export type MessageQueries = Pick<
  Store,
  "appendMessage" | "appendFirstMessage" | "listMessages" | "listMessagesSince" | "latestMessageId"
>;
type Appended = Awaited<ReturnType<Store["appendMessage"]>>;
type FirstAppended = Awaited<ReturnType<Store["appendFirstMessage"]>>;

/**
 * Postgres hands out identity values when a row is inserted, not when it commits, so two
 * concurrent appends could commit as id 8 then id 7; a client that had already caught up to 8
 * would never be sent 7. Holding this transaction-scoped advisory lock from before the insert
 * until commit makes commit order equal id order across every server node. (SQLite has a single
 * writer, so its ids already commit in order.) The key is "parley" in ASCII.
 */
export const MESSAGE_ORDER_LOCK_KEY = 0x7061726c6579;

export function messageQueries(db: Kysely<Database>, engine: Engine, sqlite?: SqliteWriter): MessageQueries {
  // SQLite runs the append synchronously when the store has its connection (openStore always
  // gives it); Postgres, a connection per transaction over the network, awaits each statement.
  const appends =
    engine === "sqlite" && sqlite !== undefined ? sqliteAppends(db, sqlite) : kyselyAppends(db, engine);
  return {
    ...appends,

    // Paging back (beforeId, or no range at all) returns the newest `limit` messages of the range;
    // catching up (afterId alone) returns the oldest `limit` after it, so the caller can continue
    // from the last id it got. Both come back oldest first.
    async listMessages(conversationId, range) {
      let query = db.selectFrom("messages").selectAll().where("conversation_id", "=", conversationId);
      if (range.afterId !== undefined) query = query.where("id", ">", range.afterId);
      if (range.beforeId !== undefined) query = query.where("id", "<", range.beforeId);
      const catchingUp = range.afterId !== undefined && range.beforeId === undefined;
      const rows = await query
        .orderBy("id", catchingUp ? "asc" : "desc")
        .limit(range.limit)
        .execute();
      if (!catchingUp) rows.reverse();
      return rows.map(toMessage);
    },

    async listMessagesSince(afterId, limit) {
      const rows = await db
        .selectFrom("messages")
        .selectAll()
        .where("id", ">", afterId)
        .orderBy("id", "asc")
        .limit(limit)
        .execute();
      return rows.map(toMessage);
    },

    async latestMessageId() {
      const row = await db
        .selectFrom("messages")
        .select((eb) => eb.fn.max("id").as("max"))
        .executeTakeFirst();
      return Number(row?.max ?? 0);
    },
  };
}

/**
 * Postgres: `run` in a transaction that holds the message-order lock from its start, BEGIN and the
 * lock asked in one round trip. A query without parameters goes as a simple query, which may hold
 * several statements, and the transaction stays open after it. The batches are serial and each
 * statement's answer waits for a turn of a busy event loop (pg_stat_activity showed the batch's
 * connection idle in transaction, waiting for Parley, 0.38 of the time against 0.11 running:
 * docs/benchmarks.md, nineteenth pass), so every round trip a batch saves shortens the wait of
 * every message behind it. Commit and rollback as Kysely's own transaction does them.
 */
async function inMessageOrder<T>(
  db: Kysely<Database>,
  run: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    try {
      // Inside the try: when the lock fails after BEGIN, the transaction is open (and aborted),
      // and the connection must not go back to the pool like that.
      await sql.raw(`begin; select pg_advisory_xact_lock(${MESSAGE_ORDER_LOCK_KEY})`).execute(connection);
      // One connection with an open transaction on it: what a Transaction is, minus its type.
      const result = await run(connection as Transaction<Database>);
      await sql.raw("commit").execute(connection);
      return result;
    } catch (error) {
      // Without a transaction (BEGIN itself failed) Postgres only warns.
      await sql
        .raw("rollback")
        .execute(connection)
        .catch(() => undefined);
      throw error;
    }
  });
}

/** The append through Kysely, one awaited statement at a time: Postgres's (and a bare SQLite's). */
function kyselyAppends(db: Kysely<Database>, engine: Engine): AppendQueries {
  // Prepared (see prepared.ts): these two run for every message.
  const insertMessage = prepared<InsertMessageParams>()(insertMessageStatement(db));
  const storedMessage = prepared<{ conversationId: number; clientId: string }>()(storedMessageStatement(db));
  const touchConversation = conversationToucher(db);
  const createConversation = conversationCreator(db);

  /** One append, inside the batch's transaction. */
  const appendIn = async (trx: Transaction<Database>, input: NewMessage): Promise<Appended> => {
    const [inserted] = await insertMessage(trx, { ...input, via: input.via ?? null });
    if (inserted) {
      await touchConversation(trx, input);
      const attachments =
        input.attachments === undefined
          ? []
          : await claimAttachments(trx, inserted.id, input.attachments, input.at);
      return { message: toMessage(inserted), created: true, attachments };
    }
    // Only a non-null client_id can conflict; the earlier row is committed, since a
    // conflicting insert waits for the other transaction to finish, or it is earlier in this
    // batch, whose transaction sees it.
    const [existing] = await storedMessage(trx, {
      conversationId: input.conversationId,
      clientId: input.clientId!,
    });
    if (existing === undefined) throw new Error("appendMessage: the conflicting message is gone");
    return {
      message: toMessage(existing),
      created: false,
      attachments: input.attachments === undefined ? [] : await attachmentsOfMessage(trx, existing.id),
    };
  };
  /** A first message creates its conversation in the same transaction: one commit, not two. */
  const appendFirstIn = async (
    trx: Transaction<Database>,
    input: NewFirstMessage,
  ): Promise<FirstAppended> => {
    const { conversation: visitor, ...message } = input;
    const { conversation } = await createConversation(trx, { ...visitor, at: input.at });
    return { conversation, ...(await appendIn(trx, { ...message, conversationId: conversation.id })) };
  };
  // On Postgres, a batch the one statement does not cover (postgresAppendStatement.ts: attachments,
  // a retry) goes in a transaction: several in a fixed number of statements (postgresBatchAppend.ts),
  // one append alone, and each append of a batch that failed, by the per-append path.
  const batchAppend = engine === "postgres" ? postgresBatchAppender(createConversation) : undefined;
  const runBatch = async (trx: Transaction<Database>, batch: BatchedAppend[]) => {
    if (batchAppend !== undefined && batch.length > 1) return batchAppend(trx, batch);
    const results: Array<Appended | FirstAppended> = [];
    for (const append of batch)
      results.push(append.first ? await appendFirstIn(trx, append.input) : await appendIn(trx, append.input));
    return results;
  };
  // Postgres tries the batch as one statement first (postgresAppendStatement.ts); a batch with
  // attachments, or that meets a stored row, goes in a transaction.
  const appendStatement =
    engine === "postgres" ? postgresAppendStatement(db, MESSAGE_ORDER_LOCK_KEY) : undefined;
  const appends = new GroupCommit<BatchedAppend, Appended | FirstAppended>(async (batch) =>
    appendStatement === undefined
      ? db.transaction().execute((trx) => runBatch(trx, batch))
      : ((await appendStatement(batch)) ?? inMessageOrder(db, (trx) => runBatch(trx, batch))),
  );

  return {
    // Both kinds of append share one queue (and so one order); each gets back its own result.
    appendMessage: (input) => appends.add({ first: false, input }),
    appendFirstMessage: (input) => appends.add({ first: true, input }) as Promise<FirstAppended>,
  };
}

/** The conversation's side of a new message, in the message's transaction (appendStatements.ts). */
function conversationToucher(
  db: Kysely<Database>,
): (trx: Transaction<Database>, input: NewMessage) => Promise<void> {
  const shapesFor = (fromVisitor: boolean) => {
    const { keepingName, renaming } = touchStatements(db, fromVisitor);
    return {
      keepingName: prepared<TouchParams>()(keepingName),
      renaming: prepared<TouchParams & { visitorName: string | null }>()(renaming),
    };
  };
  const fromVisitor = shapesFor(true);
  const fromAgent = shapesFor(false);
  return async (trx, { sender, at, conversationId, visitorName }) => {
    const shapes = sender === "visitor" ? fromVisitor : fromAgent;
    // undefined: no name given, keep the stored one; null: the visitor cleared it.
    if (visitorName === undefined) await shapes.keepingName(trx, { at, conversationId });
    else await shapes.renaming(trx, { at, conversationId, visitorName });
  };
}
