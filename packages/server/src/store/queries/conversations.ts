/** Conversations: one per visitor token, their counters, status and assignee. */
import { sql, type Kysely, type Transaction, type UpdateObject } from "kysely";
import { lookupsPerTurn } from "../lookupsPerTurn.js";
import { toBareConversation, toConversation, toConversationWithLast } from "../rows.js";
import type { Database, Engine } from "../schema.js";
import type { ConversationPatch, Store } from "../store.js";
import {
  listConversations,
  selectBareConversations,
  selectConversationsWithLast,
} from "./conversationSelect.js";
import { prepared, preparedInList, type Placeholders } from "./prepared.js";

export type ConversationQueries = Pick<
  Store,
  | "getConversation"
  | "getConversations"
  | "findConversationByToken"
  | "findBareConversationByToken"
  | "findConversationsByTokens"
  | "markVisitorsLastSeen"
  | "createConversation"
  | "countConversationsFromIpSince"
  | "listConversations"
  | "updateConversation"
  | "assignIfUnassigned"
  | "markConversationRead"
  | "deleteConversation"
>;

/**
 * A conflicting insert waits for the other inserter to commit, so the select after it sees the
 * row. Only a delete landing in between can make it miss; then the insert is simply tried again.
 */
export const CREATE_ATTEMPTS = 3;
/**
 * Tokens or ids per statement when many visitors leave at once: well under SQLite's 32,766
 * parameters, and a power of two, so a full chunk fits preparedInList's largest shape unpadded.
 */
const TOKENS_PER_QUERY = 512;

/** `read` over `values` in statements of TOKENS_PER_QUERY values each, its results together. */
async function inChunks<V, R>(values: readonly V[], read: (chunk: V[]) => Promise<R[]>): Promise<R[]> {
  const found: R[] = [];
  for (let start = 0; start < values.length; start += TOKENS_PER_QUERY)
    found.push(...(await read(values.slice(start, start + TOKENS_PER_QUERY))));
  return found;
}

type NewConversation = Parameters<Store["createConversation"]>[0];
type Created = Awaited<ReturnType<Store["createConversation"]>>;

/**
 * Insert-or-nothing, then read: a check-then-insert would let two concurrent first messages of
 * one visitor both see "no conversation" and race on the unique token. Runs on `db` or inside a
 * transaction (a visitor's first message creates its conversation in the message's own).
 */
export function conversationCreator(
  db: Kysely<Database>,
): (executor: Kysely<Database> | Transaction<Database>, input: NewConversation) => Promise<Created> {
  const { insert, byToken } = conversationCreationStatements(db);
  const insertConversation = prepared<NewConversationParams>()(insert);
  const findByToken = prepared<{ token: string }>()(byToken);
  return async (executor, input) => {
    for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
      const [inserted] = await insertConversation(executor, { ...input, contactId: input.contactId ?? null });
      if (inserted) return { conversation: toConversation(inserted, null), created: true };
      const [existing] = await findByToken(executor, { token: input.token });
      if (existing) return { conversation: toConversationWithLast(existing), created: false };
    }
    throw new Error(CREATION_RACE);
  };
}

type NewConversationParams = NewConversation & { contactId: number | null };

/**
 * conversationCreator's two statements, as builds for prepared()/preparedSync(): the synchronous
 * append (sqliteAppend.ts) runs the same ones in the same loop.
 */
export function conversationCreationStatements(db: Kysely<Database>) {
  return {
    insert: (p: Placeholders<NewConversationParams>) =>
      db
        .insertInto("conversations")
        .values({
          visitor_token: p.token,
          visitor_name: p.visitorName,
          created_ip: p.createdIp,
          site_id: p.siteId,
          contact_id: p.contactId,
          created_at: p.at,
          updated_at: p.at,
        })
        .onConflict((conflict) => conflict.column("visitor_token").doNothing())
        .returningAll(),
    byToken: (p: Placeholders<{ token: string }>) =>
      selectConversationsWithLast(db).where("c.visitor_token", "=", p.token),
  };
}

export const CREATION_RACE = "createConversation: the conversation kept being deleted while it was created";

export function conversationQueries(db: Kysely<Database>, engine: Engine): ConversationQueries {
  // Prepared: one or the other runs for every message, subscribe and disconnect.
  const byId = prepared<{ id: number }>()((p) => selectConversationsWithLast(db).where("c.id", "=", p.id));
  const byToken = prepared<{ token: string }>()((p) =>
    selectConversationsWithLast(db).where("c.visitor_token", "=", p.token),
  );
  // A visitor's every message reads this one (visitorConversations.ts).
  const bareByToken = prepared<{ token: string }>()((p) =>
    selectBareConversations(db).where("c.visitor_token", "=", p.token),
  );
  const create = conversationCreator(db);
  // The webhook producer reads each batch's conversations; visitors leave in batches.
  const byIds = preparedInList<number>()((ids) => selectConversationsWithLast(db).where("c.id", "in", ids));
  const byTokens = preparedInList<string>()((tokens) =>
    selectConversationsWithLast(db).where("c.visitor_token", "in", tokens),
  );
  const bareByTokens = preparedInList<string>()((tokens) =>
    selectBareConversations(db).where("c.visitor_token", "in", tokens),
  );

  const getConversation = async (id: number) => {
    const [row] = await byId(db, { id });
    return row && toConversationWithLast(row);
  };

  const findConversationsByTokens = (tokens: readonly string[]) =>
    inChunks(tokens, async (chunk) => (await byTokens(db, chunk)).map(toConversationWithLast));

  // Every subscribe reads this one. On Postgres each read is a round trip to a pool of ten
  // connections, so a burst of subscribes queued for the pool: the reads of one turn go together
  // (lookupsPerTurn.ts). On SQLite a read is a call in this process, and the turn's wait would
  // only add to it.
  const findConversationByToken =
    engine === "postgres"
      ? lookupsPerTurn(findConversationsByTokens, (conversation) => conversation.visitorToken)
      : async (token: string) => {
          const [row] = await byToken(db, { token });
          return row && toConversationWithLast(row);
        };

  // The same for every visitor message's read (as subscribes come in bursts, messages come in
  // batches: the appends' group commit takes a turn's messages together too).
  const findBareConversationByToken =
    engine === "postgres"
      ? lookupsPerTurn(
          (tokens: readonly string[]) =>
            inChunks(tokens, async (chunk) => (await bareByTokens(db, chunk)).map(toBareConversation)),
          (conversation) => conversation.visitorToken,
        )
      : async (token: string) => {
          const [row] = await bareByToken(db, { token });
          return row && toBareConversation(row);
        };

  return {
    getConversation,
    findConversationByToken,
    findBareConversationByToken,

    getConversations: (ids) =>
      inChunks(ids, async (chunk) => (await byIds(db, chunk)).map(toConversationWithLast)),

    findConversationsByTokens,

    async markVisitorsLastSeen(ids, at) {
      for (let start = 0; start < ids.length; start += TOKENS_PER_QUERY) {
        const chunk = ids.slice(start, start + TOKENS_PER_QUERY);
        await db
          .updateTable("conversations")
          .set({ visitor_last_seen_at: at })
          .where("id", "in", chunk)
          .execute();
      }
    },

    createConversation: (input) => create(db, input),

    async countConversationsFromIpSince(ip, since) {
      const row = await db
        .selectFrom("conversations")
        .select((eb) => eb.fn.countAll().as("count"))
        .where("created_ip", "=", ip)
        .where("created_at", ">=", since)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    listConversations: (filter) => listConversations(db, filter),

    async updateConversation(id, patch) {
      const changes = toColumns(patch);
      if (Object.keys(changes).length === 0) return getConversation(id);
      const result = await db
        .updateTable("conversations")
        .set(changes)
        .where("id", "=", id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n ? getConversation(id) : undefined;
    },

    async assignIfUnassigned(id, agentId) {
      const result = await db
        .updateTable("conversations")
        .set({ assignee_id: agentId })
        .where("id", "=", id)
        .where("assignee_id", "is", null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n ? getConversation(id) : undefined;
    },

    async markConversationRead(id, upToId) {
      const result = await db
        .updateTable("conversations")
        .set((eb) => ({
          unread_count: 0,
          // Never move backwards: a late mark_read for an older message keeps the newer mark.
          last_read_message_id: eb
            .case()
            .when("last_read_message_id", "<", upToId)
            .then(upToId)
            .else(eb.ref("last_read_message_id"))
            .end(),
        }))
        .where("id", "=", id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n ? getConversation(id) : undefined;
    },

    async deleteConversation(id) {
      // Messages go with it through the foreign key's ON DELETE CASCADE.
      const result = await db.deleteFrom("conversations").where("id", "=", id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

function toColumns(patch: ConversationPatch): UpdateObject<Database, "conversations"> {
  const columns: UpdateObject<Database, "conversations"> = {};
  // (§15) The seed's status is the state seen by old clients: both are written together.
  const state =
    patch.state ?? (patch.status === undefined ? undefined : patch.status === "closed" ? "resolved" : "open");
  if (state !== undefined) {
    columns.state = state;
    columns.status = state === "resolved" ? "closed" : "open";
    columns.snoozed_until = state === "snoozed" ? (patch.snoozedUntil ?? null) : null;
    // (§18) resolved_at is the last resolution: set when it becomes resolved, kept while it stays,
    // cleared when it leaves. Decided by the row itself, so a racing resolve keeps the first time.
    const at = patch.stateAt ?? new Date().toISOString();
    columns.resolved_at =
      state === "resolved" ? sql<string>`case when state = 'resolved' then resolved_at else ${at} end` : null;
  }
  if (patch.assigneeId !== undefined) columns.assignee_id = patch.assigneeId;
  if (patch.visitorName !== undefined) columns.visitor_name = patch.visitorName;
  if (patch.visitorLastSeenAt !== undefined) columns.visitor_last_seen_at = patch.visitorLastSeenAt;
  if (patch.updatedAt !== undefined) columns.updated_at = patch.updatedAt;
  if (patch.contactId !== undefined) columns.contact_id = patch.contactId;
  return columns;
}
