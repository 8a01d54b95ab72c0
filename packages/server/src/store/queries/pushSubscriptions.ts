/** Web push subscriptions: one per (agent, browser endpoint). */
import type { Kysely } from "kysely";
import { toPushSubscription } from "../rows.js";
import type { Database } from "../schema.js";
import type { Store } from "../store.js";

export type PushSubscriptionQueries = Pick<
  Store,
  | "savePushSubscription"
  | "deletePushSubscription"
  | "listPushSubscriptions"
  | "getPushSubscription"
  | "deletePushSubscriptionById"
  | "listPushSubscribedAgentIds"
>;

export function pushSubscriptionQueries(db: Kysely<Database>): PushSubscriptionQueries {
  return {
    // A browser re-subscribing to the same endpoint gets fresh keys; keep one row with the new keys.
    async savePushSubscription(input) {
      const row = await db
        .insertInto("push_subscriptions")
        .values({
          agent_id: input.agentId,
          endpoint: input.endpoint,
          p256dh: input.p256dh,
          auth: input.auth,
          created_at: input.at,
        })
        .onConflict((conflict) =>
          conflict.columns(["agent_id", "endpoint"]).doUpdateSet((eb) => ({
            p256dh: eb.ref("excluded.p256dh"),
            auth: eb.ref("excluded.auth"),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPushSubscription(row);
    },

    async deletePushSubscription(agentId, endpoint) {
      const result = await db
        .deleteFrom("push_subscriptions")
        .where("agent_id", "=", agentId)
        .where("endpoint", "=", endpoint)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async listPushSubscriptions(agentId) {
      const rows = await db
        .selectFrom("push_subscriptions")
        .selectAll()
        .where("agent_id", "=", agentId)
        .orderBy("id", "asc")
        .execute();
      return rows.map(toPushSubscription);
    },

    async getPushSubscription(id) {
      const row = await db.selectFrom("push_subscriptions").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toPushSubscription(row);
    },

    async deletePushSubscriptionById(id) {
      const result = await db.deleteFrom("push_subscriptions").where("id", "=", id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async listPushSubscribedAgentIds() {
      const rows = await db
        .selectFrom("push_subscriptions")
        .select("agent_id")
        .distinct()
        .orderBy("agent_id", "asc")
        .execute();
      return rows.map((row) => row.agent_id);
    },
  };
}
