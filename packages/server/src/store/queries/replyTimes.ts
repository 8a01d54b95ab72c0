/**
 * First replies (protocol §14's reply time, and reports): for each of a site's conversations
 * whose first visitor message is at or after `since`, when that message came and when the first
 * agent message after it came (null: none yet). One query; the median is chat/replyTimes.ts's.
 *
 * A conversation's updated_at moves with each message, so it is at least its first visitor
 * message's time: the (site_id, updated_at) index narrows the scan to the window's conversations,
 * and each one's messages are read through (conversation_id, id).
 */
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { Store } from "../store.js";

export type ReplyTimeQueries = Pick<Store, "listFirstReplies">;

export function replyTimeQueries(db: Kysely<Database>): ReplyTimeQueries {
  return {
    async listFirstReplies(siteId, since) {
      const firsts = db
        .selectFrom("messages as m")
        .innerJoin("conversations as c", "c.id", "m.conversation_id")
        .where("c.site_id", "=", siteId)
        .where("c.updated_at", ">=", since)
        .where("m.sender", "=", "visitor")
        .groupBy("m.conversation_id")
        .select((eb) => ["m.conversation_id as conversation_id", eb.fn.min("m.created_at").as("visitor_at")]);
      const rows = await db
        .selectFrom(firsts.as("f"))
        .where("f.visitor_at", ">=", since)
        .select((eb) => [
          "f.conversation_id",
          "f.visitor_at",
          eb
            .selectFrom("messages as r")
            .whereRef("r.conversation_id", "=", "f.conversation_id")
            .where("r.sender", "=", "admin")
            .whereRef("r.created_at", ">=", "f.visitor_at")
            .select((inner) => inner.fn.min("r.created_at").as("first_reply_at"))
            .as("reply_at"),
        ])
        .orderBy("f.conversation_id")
        .execute();
      return rows.map((row) => ({
        conversationId: Number(row.conversation_id),
        visitorAt: row.visitor_at,
        replyAt: row.reply_at ?? null,
      }));
    },
  };
}
