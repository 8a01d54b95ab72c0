/**
 * A group commit's batch of appends on Postgres in a fixed number of statements, in a transaction:
 * the path of a batch that postgresAppendStatement.ts's one statement does not cover (attachments,
 * retries). The batch holds the message-order lock (messages.ts) from its first statement to its
 * commit, and appended one by one each message cost an insert and a conversation update, one round
 * trip after the other: the lock was held for 2 round trips per message, so under load the batches
 * grew and so did the wait of every message behind them. Here the whole batch is one INSERT of
 * every message and one UPDATE of every conversation they touch, whatever its size (plus one INSERT
 * of the conversations its first messages start, one look-up when it holds retries, and
 * attachments, which keep their own statements).
 *
 * The result is the one appending them one by one in order gives: ids in the batch's order, a
 * retry (same conversation and client id, stored earlier or earlier in this batch) answered with
 * the stored message and counted nowhere, the conversation's last activity and name those of its
 * last new message. A failure throws for the whole batch; GroupCommit then runs each append on
 * its own (the per-append path in messages.ts), so one bad append fails alone.
 */
import { sql, type Transaction } from "kysely";
import { toConversation, toConversationWithLast, toMessage } from "../rows.js";
import { attachmentsOfMessage, claimAttachments } from "./attachments.js";
import { selectConversationsWithLast } from "./conversationSelect.js";
import type { conversationCreator } from "./conversations.js";
import type { ConversationsTable, Database, MessagesTable } from "../schema.js";
import type { NewFirstMessage, NewMessage, Store } from "../store.js";
import type { Selectable } from "kysely";

type Appended = Awaited<ReturnType<Store["appendMessage"]>>;
type FirstAppended = Awaited<ReturnType<Store["appendFirstMessage"]>>;
type MessageRow = Selectable<MessagesTable>;

/** One append of a batch: to a known conversation, or the first message that creates it. */
export type BatchedAppend = { first: false; input: NewMessage } | { first: true; input: NewFirstMessage };

/**
 * The message columns after its conversation (sender, content, created_at, client_id, agent_id,
 * agent_name, via), one array each for unnest: both batch statements insert them so.
 */
export function messageColumns(inputs: Array<Omit<NewMessage, "conversationId">>) {
  return sql`
      ${inputs.map((input) => input.sender)}::text[],
      ${inputs.map((input) => input.content)}::text[],
      ${inputs.map((input) => input.at)}::text[],
      ${inputs.map((input) => input.clientId)}::text[],
      ${inputs.map((input) => input.agentId)}::bigint[],
      ${inputs.map((input) => input.agentName)}::text[],
      ${inputs.map((input) => input.via ?? null)}::text[]`;
}

/**
 * Every message in one statement. unnest of one array per column keeps the statement's text (and
 * so Postgres's parse) the same whatever the batch's size; `order by ord` inserts the rows in the
 * batch's order, so identity ids are handed out in that order. A retry's row is skipped (no
 * error, and a later duplicate in the same statement sees the earlier one's index entry).
 */
function insertMessages(trx: Transaction<Database>, inputs: NewMessage[]) {
  return sql<MessageRow>`
    insert into messages (conversation_id, sender, content, created_at, client_id, agent_id, agent_name, via)
    select conversation_id, sender, content, created_at, client_id, agent_id, agent_name, via
    from unnest(
      ${inputs.map((input) => input.conversationId)}::bigint[],
      ${messageColumns(inputs)}
    ) with ordinality as batch(conversation_id, sender, content, created_at, client_id, agent_id, agent_name, via, ord)
    order by ord
    on conflict (conversation_id, client_id) do nothing
    returning *`
    .execute(trx)
    .then((result) => result.rows);
}

/** The stored messages of retries sent before this batch, by (conversation, client id). */
function storedRetries(
  trx: Transaction<Database>,
  keys: Array<{ conversationId: number; clientId: string }>,
) {
  return sql<MessageRow>`
    select * from messages
    where (conversation_id, client_id) in (
      select * from unnest(
        ${keys.map((key) => key.conversationId)}::bigint[],
        ${keys.map((key) => key.clientId)}::text[]
      )
    )`
    .execute(trx)
    .then((result) => result.rows);
}

/** What the new messages do to their conversations, one row per conversation. */
interface Touch {
  id: number;
  /** The last new message's time: appended one by one, each sets it in turn. */
  at: string;
  /** New visitor messages; an agent's reply does not make the conversation unread. */
  unread: number;
  /** Whether a new message carried a name (undefined: keep the stored one; null: cleared). */
  renames: boolean;
  visitorName: string | null;
}

/** What new messages, in order, do to their conversations: one touch per conversation. */
export function touchesOf(inputs: NewMessage[]): Touch[] {
  const touches = new Map<number, Touch>();
  for (const input of inputs) {
    const touch = touches.get(input.conversationId) ?? {
      id: input.conversationId,
      at: input.at,
      unread: 0,
      renames: false,
      visitorName: null,
    };
    touch.at = input.at;
    if (input.sender === "visitor") touch.unread += 1;
    if (input.visitorName !== undefined) {
      touch.renames = true;
      touch.visitorName = input.visitorName;
    }
    touches.set(input.conversationId, touch);
  }
  return [...touches.values()];
}

/** The UPDATE of every touched conversation (it ends with its WHERE, so a caller may add to it). */
export function touchConversations(touches: Touch[]) {
  return sql`
    update conversations as c set
      updated_at = t.at,
      unread_count = c.unread_count + t.unread,
      visitor_name = case when t.renames then t.visitor_name else c.visitor_name end
    from unnest(
      ${touches.map((touch) => touch.id)}::bigint[],
      ${touches.map((touch) => touch.at)}::text[],
      ${touches.map((touch) => touch.unread)}::integer[],
      ${touches.map((touch) => touch.renames)}::boolean[],
      ${touches.map((touch) => touch.visitorName)}::text[]
    ) as t(id, at, unread, renames, visitor_name)
    where c.id = t.id`;
}

type NewConversation = Parameters<Store["createConversation"]>[0];
type ConversationRow = Selectable<ConversationsTable>;

/**
 * The batch's first messages' conversations, in the batch's order, in one INSERT (each one
 * created apart was a round trip under the message-order lock, and in the bench nearly every
 * message is a visitor's first). A token that already has a conversation (a retried first
 * message, or two in this batch) is skipped by the insert and read with the others in one more
 * statement; one still missing (deleted in between, rare) goes through the per-append creator,
 * which retries.
 */
async function createConversations(
  trx: Transaction<Database>,
  visitors: NewConversation[],
  createOne: ReturnType<typeof conversationCreator>,
): Promise<Array<FirstAppended["conversation"]>> {
  const inserted = await sql<ConversationRow>`
    insert into conversations (visitor_token, visitor_name, created_ip, site_id, contact_id, created_at, updated_at)
    select visitor_token, visitor_name, created_ip, site_id, contact_id, at, at
    from unnest(
      ${visitors.map((visitor) => visitor.token)}::text[],
      ${visitors.map((visitor) => visitor.visitorName)}::text[],
      ${visitors.map((visitor) => visitor.createdIp)}::text[],
      ${visitors.map((visitor) => visitor.siteId)}::bigint[],
      ${visitors.map((visitor) => visitor.contactId ?? null)}::bigint[],
      ${visitors.map((visitor) => visitor.at)}::text[]
    ) with ordinality as batch(visitor_token, visitor_name, created_ip, site_id, contact_id, at, ord)
    order by ord
    on conflict (visitor_token) do nothing
    returning *`
    .execute(trx)
    .then((result) => result.rows);
  const byToken = new Map<string, FirstAppended["conversation"]>();
  for (const row of inserted) byToken.set(row.visitor_token, toConversation(row, null));
  const missing = [
    ...new Set(visitors.map((visitor) => visitor.token).filter((token) => !byToken.has(token))),
  ];
  if (missing.length > 0) {
    const stored = await selectConversationsWithLast(trx).where("c.visitor_token", "in", missing).execute();
    for (const row of stored) byToken.set(row.visitor_token, toConversationWithLast(row));
  }
  const conversations: Array<FirstAppended["conversation"]> = [];
  for (const visitor of visitors) {
    const known = byToken.get(visitor.token);
    if (known !== undefined) {
      conversations.push(known);
      continue;
    }
    const { conversation } = await createOne(trx, visitor);
    byToken.set(visitor.token, conversation);
    conversations.push(conversation);
  }
  return conversations;
}

const keyOf = (conversationId: number, clientId: string) => `${conversationId}\u0000${clientId}`;

/**
 * `createConversation`: the per-append creator (conversations.ts), for a first message whose
 * conversation the batch's own INSERT neither made nor found (createConversations).
 */
export function postgresBatchAppender(createConversation: ReturnType<typeof conversationCreator>) {
  return async (
    trx: Transaction<Database>,
    batch: BatchedAppend[],
  ): Promise<Array<Appended | FirstAppended>> => {
    const firsts = batch.flatMap((append) =>
      append.first ? [{ ...append.input.conversation, at: append.input.at }] : [],
    );
    const created = firsts.length === 0 ? [] : await createConversations(trx, firsts, createConversation);
    const conversations: Array<FirstAppended["conversation"] | undefined> = [];
    const inputs: NewMessage[] = [];
    for (const append of batch) {
      if (!append.first) {
        conversations.push(undefined);
        inputs.push(append.input);
        continue;
      }
      const { conversation: _visitor, ...message } = append.input;
      const conversation = created.shift()!;
      conversations.push(conversation);
      inputs.push({ ...message, conversationId: conversation.id });
    }

    // Match the inserted rows to the inputs. Rows come in id order, which is the inputs' order;
    // a row with a client id is the first input with its key, one without is the next input
    // without a client id (those never conflict).
    const inserted = (await insertMessages(trx, inputs)).sort((a, b) => a.id - b.id);
    const insertedByKey = new Map<string, MessageRow>();
    const insertedWithoutKey: MessageRow[] = [];
    for (const row of inserted) {
      if (row.client_id === null) insertedWithoutKey.push(row);
      else insertedByKey.set(keyOf(row.conversation_id, row.client_id), row);
    }
    const rows: Array<{ row: MessageRow; created: boolean } | undefined> = [];
    const claimedKeys = new Set<string>();
    const retriesFromBefore: Array<{ conversationId: number; clientId: string }> = [];
    for (const input of inputs) {
      if (input.clientId === null) {
        const row = insertedWithoutKey.shift();
        if (row === undefined)
          throw new Error("batch append: a message without a client id was not inserted");
        rows.push({ row, created: true });
        continue;
      }
      const key = keyOf(input.conversationId, input.clientId);
      const row = insertedByKey.get(key);
      if (row === undefined) {
        // Stored before this batch: looked up below, in one statement for all of them.
        rows.push(undefined);
        retriesFromBefore.push({ conversationId: input.conversationId, clientId: input.clientId });
      } else {
        rows.push({ row, created: !claimedKeys.has(key) });
        claimedKeys.add(key);
      }
    }
    if (retriesFromBefore.length > 0) {
      const stored = new Map<string, MessageRow>();
      for (const row of await storedRetries(trx, retriesFromBefore))
        stored.set(keyOf(row.conversation_id, row.client_id!), row);
      inputs.forEach((input, i) => {
        if (rows[i] !== undefined) return;
        const row = stored.get(keyOf(input.conversationId, input.clientId!));
        if (row === undefined) throw new Error("batch append: a retried message is neither new nor stored");
        rows[i] = { row, created: false };
      });
    }

    const touches = touchesOf(inputs.filter((_input, i) => rows[i]!.created));
    if (touches.length > 0) await touchConversations(touches).execute(trx);

    // Claims first, in order, so a retry in the same batch answers with what its first send linked.
    const attachments: Appended["attachments"][] = [];
    for (const [i, input] of inputs.entries()) {
      const { row, created } = rows[i]!;
      attachments[i] =
        created && input.attachments !== undefined
          ? await claimAttachments(trx, row.id, input.attachments, input.at)
          : [];
    }
    for (const [i, input] of inputs.entries()) {
      const { row, created } = rows[i]!;
      if (!created && input.attachments !== undefined)
        attachments[i] = await attachmentsOfMessage(trx, row.id);
    }

    return inputs.map((_input, i) => {
      const { row, created } = rows[i]!;
      const appended: Appended = { message: toMessage(row), created, attachments: attachments[i]! };
      const conversation = conversations[i];
      return conversation === undefined ? appended : { conversation, ...appended };
    });
  };
}
