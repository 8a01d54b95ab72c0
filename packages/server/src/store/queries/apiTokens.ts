/** Agents' API tokens, found by the hash of the token a request presents. */
import type { Kysely, Selectable } from "kysely";
import type { ApiTokensTable, Database } from "../schema.js";
import type { Store, StoredApiToken } from "../store.js";

export type ApiTokenQueries = Pick<
  Store,
  | "createApiToken"
  | "findApiTokenByHash"
  | "listApiTokens"
  | "getApiToken"
  | "deleteApiToken"
  | "touchApiToken"
>;

function toApiToken(row: Selectable<ApiTokensTable>): StoredApiToken {
  return {
    id: row.id,
    agentId: row.agent_id,
    name: row.name,
    scope: row.scope,
    tokenHash: row.token_hash,
    hint: row.hint,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
  };
}

export function apiTokenQueries(db: Kysely<Database>): ApiTokenQueries {
  return {
    async createApiToken(input) {
      const row = await db
        .insertInto("api_tokens")
        .values({
          agent_id: input.agentId,
          name: input.name,
          scope: input.scope,
          token_hash: input.tokenHash,
          hint: input.hint,
          created_at: input.createdAt,
          expires_at: input.expiresAt,
          last_used_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toApiToken(row);
    },

    async findApiTokenByHash(tokenHash) {
      const row = await db
        .selectFrom("api_tokens")
        .selectAll()
        .where("token_hash", "=", tokenHash)
        .executeTakeFirst();
      return row === undefined ? undefined : toApiToken(row);
    },

    async listApiTokens(agentId) {
      let query = db.selectFrom("api_tokens").selectAll();
      if (agentId !== undefined) query = query.where("agent_id", "=", agentId);
      const rows = await query.orderBy("id", "desc").execute();
      return rows.map(toApiToken);
    },

    async getApiToken(id) {
      const row = await db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirst();
      return row === undefined ? undefined : toApiToken(row);
    },

    async deleteApiToken(id) {
      const result = await db.deleteFrom("api_tokens").where("id", "=", id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async touchApiToken(id, at) {
      await db.updateTable("api_tokens").set({ last_used_at: at }).where("id", "=", id).execute();
    },
  };
}
