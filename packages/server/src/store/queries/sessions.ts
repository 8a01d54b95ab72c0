/** Agents' login sessions, keyed by the hash of the cookie's secret. */
import type { Kysely } from "kysely";
import { toSession } from "../rows.js";
import type { Database } from "../schema.js";
import type { Store } from "../store.js";

export type SessionQueries = Pick<
  Store,
  | "createSession"
  | "findSession"
  | "deleteSession"
  | "deleteSessionsOfAgent"
  | "deleteExpiredSessions"
  | "liveSessionIds"
>;

/** Ids per query: far below SQLite's and Postgres' limits on bound parameters. */
const IDS_PER_QUERY = 500;

export function sessionQueries(db: Kysely<Database>): SessionQueries {
  return {
    async createSession(session) {
      await db
        .insertInto("sessions")
        .values({
          id: session.id,
          agent_id: session.agentId,
          created_at: session.createdAt,
          expires_at: session.expiresAt,
        })
        .execute();
    },

    async findSession(id) {
      const row = await db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toSession(row);
    },

    async deleteSession(id) {
      const result = await db.deleteFrom("sessions").where("id", "=", id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    // The ids come back so the caller can disconnect the sockets those sessions hold open.
    async deleteSessionsOfAgent(agentId) {
      const rows = await db.deleteFrom("sessions").where("agent_id", "=", agentId).returning("id").execute();
      return rows.map((row) => row.id);
    },

    async deleteExpiredSessions(now) {
      const rows = await db.deleteFrom("sessions").where("expires_at", "<", now).returning("id").execute();
      return rows.map((row) => row.id);
    },

    async liveSessionIds(ids, now) {
      const live: string[] = [];
      for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
        const rows = await db
          .selectFrom("sessions")
          .select("id")
          .where("id", "in", ids.slice(start, start + IDS_PER_QUERY))
          .where("expires_at", ">", now)
          .execute();
        for (const row of rows) live.push(row.id);
      }
      return live;
    },
  };
}
