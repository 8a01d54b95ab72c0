/**
 * Reading conversations together with their latest message (the one with the highest id) and
 * what its preview needs of its files (how many, the first one's name), in one statement so they
 * are consistent, and its rating (§18). Shared by every conversation read.
 */
import { PostgresAdapter, sql, type Kysely } from "kysely";
import { toConversationWithLast } from "../rows.js";
import type { Database } from "../schema.js";
import type { ConversationFilter, StoredConversation } from "../store.js";
import { containsIgnoringCase } from "./search.js";

/**
 * (§15) The conversation's label ids as one comma-separated text (null: none), in the same
 * statement: a page of the list costs no query per row.
 */
function labelIdsOf(db: Kysely<Database>) {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql<
        string | null
      >`(select string_agg(cl.label_id::text, ',') from conversation_labels cl where cl.conversation_id = c.id)`
    : sql<
        string | null
      >`(select group_concat(cl.label_id) from conversation_labels cl where cl.conversation_id = c.id)`;
}

/**
 * Conversations with their label ids and rating but not their latest message (BareConversation in
 * store.ts): one row by its key, its labels and its rating by theirs, where the latest message
 * costs a look-up of the conversation's highest message id, that message, and two of its files.
 */
export function selectBareConversations(db: Kysely<Database>) {
  return db
    .selectFrom("conversations as c")
    .leftJoin("conversation_ratings as r", "r.conversation_id", "c.id")
    .selectAll("c")
    .select([
      "r.score as rating_score",
      "r.comment as rating_comment",
      "r.agent_id as rating_agent_id",
      "r.rated_at as rating_rated_at",
      labelIdsOf(db).as("label_ids"),
    ]);
}

export function selectConversationsWithLast(db: Kysely<Database>) {
  const labelIds = labelIdsOf(db);
  return (
    db
      .selectFrom("conversations as c")
      .leftJoin("messages as m", (join) =>
        join.on("m.id", "=", (eb) =>
          eb
            .selectFrom("messages as latest")
            .select((inner) => inner.fn.max("latest.id").as("max_id"))
            .whereRef("latest.conversation_id", "=", "c.id"),
        ),
      )
      // (§18) At most one rating per conversation, by its primary key: no extra query per row.
      .leftJoin("conversation_ratings as r", "r.conversation_id", "c.id")
      .selectAll("c")
      .select([
        "m.id as last_id",
        "m.sender as last_sender",
        "m.content as last_content",
        "m.created_at as last_created_at",
        "m.client_id as last_client_id",
        "m.agent_id as last_agent_id",
        "m.agent_name as last_agent_name",
        "m.via as last_via",
        "r.score as rating_score",
        "r.comment as rating_comment",
        "r.agent_id as rating_agent_id",
        "r.rated_at as rating_rated_at",
      ])
      .select((eb) => [
        // Both served by the attachments' (message_id, created_at) index.
        eb
          .selectFrom("attachments as f")
          .select((inner) => inner.fn.countAll().as("count"))
          .whereRef("f.message_id", "=", "m.id")
          .as("last_file_count"),
        eb
          .selectFrom("attachments as f")
          .select("f.filename")
          .whereRef("f.message_id", "=", "m.id")
          .orderBy("f.id")
          .limit(1)
          .as("last_first_file"),
        labelIds.as("label_ids"),
      ])
  );
}

/** Newest activity first (updated_at desc, id desc), filtered, one keyset page. */
export async function listConversations(
  db: Kysely<Database>,
  filter: ConversationFilter,
): Promise<StoredConversation[]> {
  if (filter.siteIds?.length === 0 || filter.states?.length === 0) return [];
  const rows = await listConversationsQuery(db, filter).execute();
  return rows.map(toConversationWithLast);
}

/** The list's statement (exported for the tests that check its plan). */
export function listConversationsQuery(db: Kysely<Database>, filter: ConversationFilter) {
  let query = selectConversationsWithLast(db);
  if (filter.siteIds !== undefined) query = query.where("c.site_id", "in", filter.siteIds);
  // One state is an equality, so the (state, updated_at, id) index also gives the order.
  if (filter.states?.length === 1) query = query.where("c.state", "=", filter.states[0]!);
  else if (filter.states !== undefined) query = query.where("c.state", "in", filter.states);
  else if (filter.status !== undefined) query = query.where("c.status", "=", filter.status);
  if (filter.labelId !== undefined) {
    const labelId = filter.labelId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("conversation_labels as fl")
          .select("fl.label_id")
          .whereRef("fl.conversation_id", "=", "c.id")
          .where("fl.label_id", "=", labelId),
      ),
    );
  }
  if (filter.contactId !== undefined) query = query.where("c.contact_id", "=", filter.contactId);
  if (filter.assigneeId === null) query = query.where("c.assignee_id", "is", null);
  else if (filter.assigneeId !== undefined) query = query.where("c.assignee_id", "=", filter.assigneeId);
  if (filter.before !== undefined) {
    const { updatedAt, id } = filter.before;
    query = query.where((eb) => eb(eb.refTuple("c.updated_at", "c.id"), "<", eb.tuple(updatedAt, id)));
  }
  const search = filter.search?.trim();
  if (search) {
    query = query.where((eb) =>
      eb.or([
        containsIgnoringCase(eb.ref("c.visitor_name"), search),
        eb.exists(
          eb
            .selectFrom("messages as s")
            .select("s.id")
            .whereRef("s.conversation_id", "=", "c.id")
            .where((inner) => containsIgnoringCase(inner.ref("s.content"), search)),
        ),
      ]),
    );
  }
  return query.orderBy("c.updated_at", "desc").orderBy("c.id", "desc").limit(filter.limit);
}
