/**
 * A group commit's batch of appends on Postgres as one statement that commits on its own. The
 * transaction of postgresBatchAppend.ts costs five round trips even for one message (BEGIN with
 * the message-order lock, the conversation's insert, the message's, the conversation's update,
 * COMMIT), and the batches are serial: at a hundred messages a second nearly every message goes
 * alone, and each waited for five answers, every one of them also waiting its turn in a busy
 * event loop (docs/benchmarks.md, twentieth pass). Here the lock, the new conversations, the
 * messages and the touched conversations are one statement with data-modifying CTEs: one round
 * trip, and Postgres commits it by itself.
 *
 * It covers the common batch only: no attachments, and nothing already stored. A retry (a client
 * id stored before, or twice in the batch) or a first message whose visitor has a conversation
 * meets a unique index, and the whole statement rolls back; the batch then takes the transaction
 * path, which answers retries with the stored rows. So a batch's result is the same either way.
 */
import { sql, type Kysely, type Selectable } from "kysely";
import { toConversation, toMessage } from "../rows.js";
import type { ConversationsTable, Database, MessagesTable } from "../schema.js";
import type { Store } from "../store.js";
import { messageColumns, touchConversations, touchesOf, type BatchedAppend } from "./postgresBatchAppend.js";

type Appended = Awaited<ReturnType<Store["appendMessage"]>>;
type FirstAppended = Awaited<ReturnType<Store["appendFirstMessage"]>>;

/** A stored message with, for a first message, the conversation it started (as JSON). */
type AppendedRow = Selectable<MessagesTable> & { started: Selectable<ConversationsTable> | null };

/** Postgres's SQLSTATE for a unique index's violation. */
const UNIQUE_VIOLATION = "23505";

/**
 * The batch's statement, or undefined when the batch is not one it covers (attachments) or met a
 * stored row (a unique index): then the caller appends it in a transaction. `orderLockKey`: the
 * message-order lock (messages.ts).
 */
export function postgresAppendStatement(db: Kysely<Database>, orderLockKey: number) {
  return async (batch: BatchedAppend[]): Promise<Array<Appended | FirstAppended> | undefined> => {
    if (batch.some((append) => append.input.attachments !== undefined)) return undefined;
    const firsts = batch.flatMap((append) => (append.first ? [append.input] : []));
    const touches = touchesOf(batch.flatMap((append) => (append.first ? [] : [append.input])));
    let rows: AppendedRow[];
    try {
      // The lock is asked first: each data-modifying CTE waits for it (the one-time filter on
      // order_lock) before it writes, so no row is locked while the lock is awaited, and every
      // message id is handed out under it. New conversations are inserted as their messages
      // leave them (the statement cannot update a row it inserts); existing ones are touched
      // once each. Rows are inserted in the batch's order (ord), so their ids are in it too.
      const result = await sql<AppendedRow>`
        with order_lock as materialized (
          select true as taken from (select pg_advisory_xact_lock(${sql.lit(orderLockKey)})) as held
        ),
        new_conversations as (
          insert into conversations (visitor_token, visitor_name, created_ip, site_id, contact_id, created_at, updated_at, unread_count)
          select visitor_token, visitor_name, created_ip, site_id, contact_id, at, at, unread
          from unnest(
            ${firsts.map((first) => first.conversation.token)}::text[],
            ${firsts.map((first) => (first.visitorName === undefined ? first.conversation.visitorName : first.visitorName))}::text[],
            ${firsts.map((first) => first.conversation.createdIp)}::text[],
            ${firsts.map((first) => first.conversation.siteId)}::bigint[],
            ${firsts.map((first) => first.conversation.contactId ?? null)}::bigint[],
            ${firsts.map((first) => first.at)}::text[],
            ${firsts.map((first) => (first.sender === "visitor" ? 1 : 0))}::integer[]
          ) with ordinality as started(visitor_token, visitor_name, created_ip, site_id, contact_id, at, unread, ord)
          where (select taken from order_lock)
          order by ord
          returning *
        ),
        touched as (
          ${touchConversations(touches)} and (select taken from order_lock)
        ),
        new_messages as (
          insert into messages (conversation_id, sender, content, created_at, client_id, agent_id, agent_name, via)
          select coalesce(b.conversation_id, nc.id), b.sender, b.content, b.created_at, b.client_id, b.agent_id, b.agent_name, b.via
          from unnest(
            ${batch.map((append) => (append.first ? null : append.input.conversationId))}::bigint[],
            ${batch.map((append) => (append.first ? append.input.conversation.token : null))}::text[],
            ${messageColumns(batch.map((append) => append.input))}
          ) with ordinality as b(conversation_id, visitor_token, sender, content, created_at, client_id, agent_id, agent_name, via, ord)
          left join new_conversations as nc on nc.visitor_token = b.visitor_token
          where (select taken from order_lock)
          order by b.ord
          returning *
        )
        select m.*, to_jsonb(nc) as started
        from new_messages as m left join new_conversations as nc on nc.id = m.conversation_id`.execute(db);
      rows = result.rows;
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) return undefined;
      throw error;
    }
    if (rows.length !== batch.length)
      throw new Error(`append statement: ${rows.length} messages stored for ${batch.length}`);
    rows.sort((a, b) => a.id - b.id);
    return batch.map((append, i) => {
      const { started, ...row } = rows[i]!;
      const appended: Appended = { message: toMessage(row), created: true, attachments: [] };
      if (!append.first) return appended;
      if (started === null) throw new Error("append statement: a first message has no conversation");
      // The conversation as it was created, before its first message counted: what the
      // transaction path returns (its creation and its message's touch are two statements).
      const created = { ...started, unread_count: 0, visitor_name: append.input.conversation.visitorName };
      return { conversation: toConversation(created, null), ...appended };
    });
  };
}
