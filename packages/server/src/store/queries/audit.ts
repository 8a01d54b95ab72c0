/** The audit log (migration 014): the rows behind auditStore.ts. */
import type { Kysely, Selectable } from "kysely";
import type { AuditAction, AuditEntry } from "@parley/protocol";
import type { AuditLogTable, Database } from "../schema.js";
import type { AuditStore, StoredAuditEntry } from "../auditStore.js";

function toEntry(row: Selectable<AuditLogTable>): StoredAuditEntry {
  return {
    id: row.id,
    action: row.action as AuditAction,
    agentId: row.agent_id,
    agentName: row.agent_name,
    apiTokenId: row.api_token_id,
    ipAddress: row.ip_address,
    targetType: row.target_type,
    targetId: row.target_id,
    siteId: row.site_id,
    details: JSON.parse(row.details) as AuditEntry["details"],
    at: row.at,
  };
}

export function auditQueries(db: Kysely<Database>): AuditStore {
  return {
    async insertAuditEntry(entry) {
      const row = await db
        .insertInto("audit_log")
        .values({
          action: entry.action,
          agent_id: entry.agentId,
          agent_name: entry.agentName,
          api_token_id: entry.apiTokenId,
          ip_address: entry.ipAddress,
          target_type: entry.targetType,
          target_id: entry.targetId,
          site_id: entry.siteId,
          details: JSON.stringify(entry.details),
          at: entry.at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toEntry(row);
    },

    async listAuditEntries(filter) {
      let query = db.selectFrom("audit_log").selectAll();
      if (filter.action !== undefined) query = query.where("action", "=", filter.action);
      if (filter.agentId !== undefined) query = query.where("agent_id", "=", filter.agentId);
      if (filter.since !== undefined) query = query.where("at", ">=", filter.since);
      if (filter.until !== undefined) query = query.where("at", "<", filter.until);
      if (filter.beforeId !== undefined) query = query.where("id", "<", filter.beforeId);
      const rows = await query.orderBy("id", "desc").limit(filter.limit).execute();
      return rows.map(toEntry);
    },

    async deleteAuditEntriesBefore(before, batchSize) {
      // Oldest ids first through a subquery: both engines delete with it (SQLite's DELETE … LIMIT
      // is a compile-time option).
      const result = await db
        .deleteFrom("audit_log")
        .where("id", "in", (eb) =>
          eb
            .selectFrom("audit_log")
            .select("id")
            .where("at", "<", before)
            .orderBy("id", "asc")
            .limit(batchSize),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
