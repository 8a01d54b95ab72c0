/** Erasure and retention's rows (protocol §17): the queries behind privacyStore.ts. */
import { sql, type Kysely, type Transaction } from "kysely";
import type { ErasureScope, PrivacyStore } from "../privacyStore.js";
import { toAttachment } from "../rows.js";
import type { Database } from "../schema.js";
import type { StoredAttachment } from "../store.js";

type Executor = Kysely<Database> | Transaction<Database>;

/** An empty `in ()` is no SQL: a list that can never match stands in for it. */
const NO_ID = [-1];
const NO_TOKEN = [""];

function ids(list: readonly number[]): number[] {
  return list.length === 0 ? NO_ID : [...list];
}

function tokens(list: readonly string[]): string[] {
  return list.length === 0 ? NO_TOKEN : [...list];
}

/** The visitor rows of the scope: its tokens' and its contacts'. */
function visitorIds(db: Executor, scope: ErasureScope) {
  let query = db
    .selectFrom("visitors")
    .select("id")
    .where((eb) =>
      eb.or([eb("token", "in", tokens(scope.visitorTokens)), eb("contact_id", "in", ids(scope.contactIds))]),
    );
  if (scope.visitorsSeenBefore !== undefined)
    query = query.where("last_seen_at", "<", scope.visitorsSeenBefore);
  return query;
}

/** The scope's attachments: those its messages carry and those its visitors uploaded unsent. */
function attachmentsOf(db: Executor, scope: ErasureScope) {
  const conversationIds = ids(scope.conversationIds);
  return db
    .selectFrom("attachments")
    .where((eb) =>
      eb.or([
        eb(
          "message_id",
          "in",
          eb.selectFrom("messages").select("id").where("conversation_id", "in", conversationIds),
        ),
        eb.and([eb("message_id", "is", null), eb("visitor_token", "in", tokens(scope.visitorTokens))]),
      ]),
    );
}

function deleted(result: { numDeletedRows: bigint }): number {
  return Number(result.numDeletedRows);
}

export function privacyQueries(db: Kysely<Database>): PrivacyStore {
  return {
    async listErasableAttachments(scope): Promise<StoredAttachment[]> {
      const rows = await attachmentsOf(db, scope).selectAll().orderBy("id").execute();
      return rows.map(toAttachment);
    },

    async eraseRecords(scope) {
      const conversationIds = ids(scope.conversationIds);
      return db.transaction().execute(async (trx) => {
        // Files first: their rows point at the messages, which go next.
        const fileRows = await attachmentsOf(trx, scope)
          .select(["id", "storage_key", "thumbnail_key"])
          .execute();
        const fileCount =
          fileRows.length === 0
            ? 0
            : deleted(
                await trx
                  .deleteFrom("attachments")
                  .where(
                    "id",
                    "in",
                    fileRows.map((row) => row.id),
                  )
                  .executeTakeFirst(),
              );
        // Rows that go with a conversation by foreign key are deleted by name too: the count is
        // the same, and nothing depends on the cascade being declared on every engine's copy.
        for (const table of [
          "notes",
          "conversation_labels",
          "push_throttles",
          "email_outbox",
          "email_threads",
          "email_inbound",
          "webhook_deliveries",
        ] as const) {
          await trx.deleteFrom(table).where("conversation_id", "in", conversationIds).execute();
        }
        // A contact's `contact.identified` events about no conversation carry the contact whole:
        // webhooks/payloads.ts writes `"data":{"contact":{"id":…` first, so its id finds them.
        for (const contactId of scope.contactIds) {
          await trx
            .deleteFrom("webhook_deliveries")
            .where("conversation_id", "is", null)
            .where("event_type", "=", "contact.identified")
            .where("payload", "like", `%"data":{"contact":{"id":${contactId},%`)
            .execute();
        }
        const messages = deleted(
          await trx.deleteFrom("messages").where("conversation_id", "in", conversationIds).executeTakeFirst(),
        );
        const visitors = (await visitorIds(trx, scope).execute()).map((row) => row.id);
        if (visitors.length > 0) {
          await trx.deleteFrom("page_views").where("visitor_id", "in", visitors).execute();
          await trx.deleteFrom("visitors").where("id", "in", visitors).execute();
        }
        const conversations = deleted(
          await trx.deleteFrom("conversations").where("id", "in", conversationIds).executeTakeFirst(),
        );
        const contacts = deleted(
          await trx.deleteFrom("contacts").where("id", "in", ids(scope.contactIds)).executeTakeFirst(),
        );
        const blobKeys = fileRows.flatMap((row) =>
          row.thumbnail_key === null ? [row.storage_key] : [row.storage_key, row.thumbnail_key],
        );
        return { counts: { conversations, messages, files: fileCount, contacts }, blobKeys };
      });
    },

    async listContactTokens(contactId) {
      const [visitors, contact, conversations] = await Promise.all([
        db.selectFrom("visitors").select("token").where("contact_id", "=", contactId).execute(),
        db.selectFrom("contacts").select("session_token").where("id", "=", contactId).executeTakeFirst(),
        db.selectFrom("conversations").select("visitor_token").where("contact_id", "=", contactId).execute(),
      ]);
      const all = [
        ...visitors.map((row) => row.token),
        ...(contact === undefined ? [] : [contact.session_token]),
        ...conversations.map((row) => row.visitor_token),
      ];
      return [...new Set(all)];
    },

    async listExpiredConversations(cutoff, limit) {
      const lastMessageAt = sql<string>`coalesce((select max(m.created_at) from messages m where m.conversation_id = c.id), c.updated_at)`;
      const rows = await db
        .selectFrom("conversations as c")
        .select("c.id")
        .where("c.state", "=", "resolved")
        .where(lastMessageAt, "<", cutoff)
        .orderBy("c.id")
        .limit(limit)
        .execute();
      return rows.map((row) => row.id);
    },
  };
}
