/** Messages: appended once per (conversation, client id), read in id order. */
import { sql, type Kysely, type Transaction, type Updateable } from "kysely";
import { toMessage } from "../rows.js";
import type { ConversationsTable, Database, Engine } from "../schema.js";
import type { NewMessage, Store } from "../store.js";

export type MessageQueries = Pick<Store, "appendMessage" | "listMessages" | "listMessagesSince">;

/**
 * Postgres hands out identity values when a row is inserted, not when it commits, so two
 * concurrent appends could commit as id 8 then id 7; a client that had already caught up to 8
 * would never be sent 7. Holding this transaction-scoped advisory lock from before the insert
 * until commit makes commit order equal id order across every server node. (SQLite has a single
 * writer, so its ids already commit in order.) The key is "parley" in ASCII.
 */
const MESSAGE_ORDER_LOCK_KEY = 0x7061726c6579;

export function messageQueries(db: Kysely<Database>, engine: Engine): MessageQueries {
  return {
    async appendMessage(input) {
      return db.transaction().execute(async (trx) => {
        if (engine === "postgres") {
          await sql`select pg_advisory_xact_lock(${MESSAGE_ORDER_LOCK_KEY})`.execute(trx);
        }
        const inserted = await trx
          .insertInto("messages")
          .values({
            conversation_id: input.conversationId,
            sender: input.sender,
            content: input.content,
            created_at: input.at,
            client_id: input.clientId,
            agent_id: input.agentId,
            agent_name: input.agentName,
          })
          .onConflict((conflict) => conflict.columns(["conversation_id", "client_id"]).doNothing())
          .returningAll()
          .executeTakeFirst();
        if (inserted) {
          await touchConversation(trx, input);
          return { message: toMessage(inserted), created: true };
        }
        // Only a non-null client_id can conflict; the earlier row is committed, since a
        // conflicting insert waits for the other transaction to finish.
        const existing = await trx
          .selectFrom("messages")
          .selectAll()
          .where("conversation_id", "=", input.conversationId)
          .where("client_id", "=", input.clientId)
          .executeTakeFirstOrThrow();
        return { message: toMessage(existing), created: false };
      });
    },

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
  };
}

/** The conversation's side of a new message, in the message's transaction. */
async function touchConversation(trx: Transaction<Database>, input: NewMessage): Promise<void> {
  const columns: Updateable<ConversationsTable> = { updated_at: input.at };
  // undefined: no name given, keep the stored one; null: the visitor cleared it.
  if (input.visitorName !== undefined) columns.visitor_name = input.visitorName;
  await trx
    .updateTable("conversations")
    .set(columns)
    .$if(input.sender === "visitor", (update) =>
      update.set((eb) => ({ unread_count: eb("unread_count", "+", 1) })),
    )
    .where("id", "=", input.conversationId)
    .execute();
}
