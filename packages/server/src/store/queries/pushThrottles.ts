/** When each agent was last pushed about each conversation: the once-a-minute collapse. */
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { Store } from "../store.js";

export type PushThrottleQueries = Pick<Store, "getPushThrottle" | "recordPushSent">;

export function pushThrottleQueries(db: Kysely<Database>): PushThrottleQueries {
  return {
    async getPushThrottle(agentId, conversationId) {
      const row = await db
        .selectFrom("push_throttles")
        .selectAll()
        .where("agent_id", "=", agentId)
        .where("conversation_id", "=", conversationId)
        .executeTakeFirst();
      return (
        row && {
          agentId: row.agent_id,
          conversationId: row.conversation_id,
          lastSentAt: row.last_sent_at,
          lastMessageId: row.last_message_id,
        }
      );
    },

    async recordPushSent(throttle) {
      await db
        .insertInto("push_throttles")
        .values({
          agent_id: throttle.agentId,
          conversation_id: throttle.conversationId,
          last_sent_at: throttle.lastSentAt,
          last_message_id: throttle.lastMessageId,
        })
        .onConflict((conflict) =>
          conflict.columns(["agent_id", "conversation_id"]).doUpdateSet((eb) => ({
            last_sent_at: eb.ref("excluded.last_sent_at"),
            last_message_id: eb.ref("excluded.last_message_id"),
          })),
        )
        .execute();
    },
  };
}
