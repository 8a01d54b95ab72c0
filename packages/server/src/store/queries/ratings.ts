/** (§18) Satisfaction ratings: the request on a resolve, and the visitor's answer. */
import { sql, type Kysely } from "kysely";
import type { RatingStore } from "../ratingStore.js";
import type { Database } from "../schema.js";
import type { Store } from "../store.js";

export type RatingQueries = Pick<Store, keyof RatingStore>;

export function ratingQueries(
  db: Kysely<Database>,
  getConversation: Store["getConversation"],
): RatingQueries {
  return {
    async requestRating(conversationId, at) {
      const result = await db
        .updateTable("conversations")
        .set({ rating_requested_at: at })
        .where("id", "=", conversationId)
        .where("state", "=", "resolved")
        .executeTakeFirst();
      return result.numUpdatedRows > 0n ? getConversation(conversationId) : undefined;
    },

    async saveRating({ conversationId, score, comment, at }) {
      // One statement: the conversation must still be resolved and asked, and not rated since it
      // was asked (two tabs rating at once: the second finds nothing pending and stores nothing).
      const result = await db
        .insertInto("conversation_ratings")
        .columns(["conversation_id", "site_id", "agent_id", "score", "comment", "rated_at"])
        .expression((eb) =>
          eb
            .selectFrom("conversations as c")
            .select((inner) => [
              "c.id",
              "c.site_id",
              inner.fn
                .coalesce(
                  "c.assignee_id",
                  inner
                    .selectFrom("messages as m")
                    .select("m.agent_id")
                    .whereRef("m.conversation_id", "=", "c.id")
                    .where("m.sender", "=", "admin")
                    .where("m.agent_id", "is not", null)
                    .orderBy("m.id", "desc")
                    .limit(1),
                )
                .as("agent_id"),
              // Cast: Postgres would take a bare parameter in a select list for text.
              sql<number>`cast(${score} as integer)`.as("score"),
              sql<string | null>`cast(${comment} as text)`.as("comment"),
              sql<string>`cast(${at} as text)`.as("rated_at"),
            ])
            .where("c.id", "=", conversationId)
            .where("c.state", "=", "resolved")
            .where("c.rating_requested_at", "is not", null)
            .where((inner) =>
              inner.not(
                inner.exists(
                  inner
                    .selectFrom("conversation_ratings as old")
                    .select("old.conversation_id")
                    .whereRef("old.conversation_id", "=", "c.id")
                    .whereRef("old.rated_at", ">=", "c.rating_requested_at"),
                ),
              ),
            ),
        )
        .onConflict((conflict) =>
          conflict
            .column("conversation_id")
            .doUpdateSet((eb) => ({
              agent_id: eb.ref("excluded.agent_id"),
              score: eb.ref("excluded.score"),
              comment: eb.ref("excluded.comment"),
              rated_at: eb.ref("excluded.rated_at"),
            }))
            // Checked again on the row as committed: of two rates racing on Postgres (both saw
            // nothing since the request), the one that waited for the other's insert stores nothing.
            .where(
              sql<boolean>`conversation_ratings.rated_at < (select asked.rating_requested_at from conversations asked where asked.id = excluded.conversation_id)`,
            ),
        )
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 ? getConversation(conversationId) : undefined;
    },
  };
}
