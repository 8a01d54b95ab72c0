/** Answers by email (migration 013, with 012's email_outbox): the rows behind emailInboundStore.ts. */
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { EmailInboundStore } from "../emailInboundStore.js";

/** A stored error is for an owner to read, not a dump. */
const MAX_ERROR_LENGTH = 500;
/** A mail's References may name many; more than this are not worth a query. */
const MAX_LOOKED_UP_IDS = 50;

export function emailInboundQueries(db: Kysely<Database>): EmailInboundStore {
  return {
    async recordInboundEmail(input) {
      const inserted = await db
        .insertInto("email_inbound")
        .values({
          message_id: input.messageId,
          conversation_id: input.conversationId,
          outcome: input.outcome,
          reason: input.reason,
          received_at: input.at,
        })
        .onConflict((conflict) => conflict.column("message_id").doNothing())
        .returning("message_id")
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async findInboundEmail(messageId) {
      const row = await db
        .selectFrom("email_inbound")
        .selectAll()
        .where("message_id", "=", messageId)
        .executeTakeFirst();
      return row === undefined
        ? undefined
        : {
            messageId: row.message_id,
            conversationId: row.conversation_id === null ? null : Number(row.conversation_id),
            outcome: row.outcome,
            reason: row.reason,
            receivedAt: row.received_at,
          };
    },

    async sentEmailRecipients(messageIds) {
      const ids = [...new Set(messageIds)].slice(0, MAX_LOOKED_UP_IDS);
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom("email_outbox")
        .select(["conversation_id", "to_address"])
        .where("message_id", "in", ids)
        .where("conversation_id", "is not", null)
        .execute();
      return rows.map((row) => ({ conversationId: Number(row.conversation_id), toAddress: row.to_address }));
    },

    async emailAddressesOfConversation(conversationId) {
      const rows = await db
        .selectFrom("email_outbox")
        .select("to_address")
        .distinct()
        .where("conversation_id", "=", conversationId)
        .execute();
      return rows.map((row) => row.to_address);
    },

    async recordMailboxFetch(at, error) {
      const values = { last_fetch_at: at, last_fetch_error: error?.slice(0, MAX_ERROR_LENGTH) ?? null };
      await db
        .insertInto("email_mailbox")
        .values({ id: 1, ...values })
        .onConflict((conflict) => conflict.column("id").doUpdateSet(values))
        .execute();
    },
  };
}
