/** Web push subscriptions: one per (agent, browser endpoint). */
import type { Kysely } from "kysely";
import { toPushSubscription } from "../rows.js";
import type { Database } from "../schema.js";
import type { Store } from "../store.js";
import { CachedRead } from "./cachedRead.js";

export type PushSubscriptionQueries = Pick<
  Store,
  | "savePushSubscription"
  | "deletePushSubscription"
  | "listPushSubscriptions"
  | "getPushSubscription"
  | "deletePushSubscriptionById"
  | "listPushSubscribedAgentIds"
>;

/**
 * Which agents have a subscription is asked on every visitor message (chat/agentAlerts.ts), and
 * reading it was 5 % of the server's CPU per message. It changes when an agent subscribes or
 * unsubscribes, a push service drops a subscription, or an agent is removed: this process's own
 * changes are seen at once (the store forgets the answer); another node's within this long. Until
 * then a new subscriber there misses the pushes of those seconds, and a removed one costs a notify
 * job that finds no subscription (push/notifyAgentJob.ts).
 */
export const SUBSCRIBED_AGENTS_TTL_MS = 5000;

export function subscribedAgentsCache(db: Kysely<Database>): CachedRead<number[]> {
  return new CachedRead(async () => {
    const rows = await db
      .selectFrom("push_subscriptions")
      .select("agent_id")
      .distinct()
      .orderBy("agent_id", "asc")
      .execute();
    return rows.map((row) => row.agent_id);
  }, SUBSCRIBED_AGENTS_TTL_MS);
}

export function pushSubscriptionQueries(
  db: Kysely<Database>,
  subscribedAgents: CachedRead<number[]>,
): PushSubscriptionQueries {
  return {
    // A browser re-subscribing to the same endpoint gets fresh keys; keep one row with the new keys.
    async savePushSubscription(input) {
      const row = await db.transaction().execute(async (trx) => {
        const saved = await trx
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
        if (input.keepNewest !== undefined) {
          // Ids only grow, so the newest rows are the highest ids (a re-saved row keeps its place).
          const newest = trx
            .selectFrom("push_subscriptions")
            .select("id")
            .where("agent_id", "=", input.agentId)
            .orderBy("id", "desc")
            .limit(input.keepNewest);
          await trx
            .deleteFrom("push_subscriptions")
            .where("agent_id", "=", input.agentId)
            .where("id", "not in", newest)
            .execute();
        }
        return saved;
      });
      subscribedAgents.forget();
      return toPushSubscription(row);
    },

    async deletePushSubscription(agentId, endpoint) {
      const result = await db
        .deleteFrom("push_subscriptions")
        .where("agent_id", "=", agentId)
        .where("endpoint", "=", endpoint)
        .executeTakeFirst();
      subscribedAgents.forget();
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
      const row = await db
        .selectFrom("push_subscriptions")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toPushSubscription(row);
    },

    async deletePushSubscriptionById(id) {
      const result = await db.deleteFrom("push_subscriptions").where("id", "=", id).executeTakeFirst();
      subscribedAgents.forget();
      return result.numDeletedRows > 0n;
    },

    // A copy: the cached array is shared by every caller.
    listPushSubscribedAgentIds: async () => [...(await subscribedAgents.get())],
  };
}
