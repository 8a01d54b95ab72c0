/** Notes, canned replies, chosen availability and round-robin bookkeeping (migration 011). */
import type { Kysely, Selectable, Updateable } from "kysely";
import { isUniqueViolation } from "../errors.js";
import { toAgent } from "../rows.js";
import type { CannedRepliesTable, Database, NotesTable } from "../schema.js";
import type { StoredCannedReply, StoredNote, TeamWorkStore } from "../teamWorkStore.js";

function toNote(row: Selectable<NotesTable>): StoredNote {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    agentId: row.agent_id,
    agentName: row.agent_name,
    content: row.content,
    mentionIds: JSON.parse(row.mention_ids) as number[],
    clientId: row.client_id,
    createdAt: row.created_at,
  };
}

function toCannedReply(row: Selectable<CannedRepliesTable>): StoredCannedReply {
  return {
    id: row.id,
    scope: row.scope,
    agentId: row.agent_id,
    siteId: row.site_id,
    shortcut: row.shortcut,
    content: row.content,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function teamWorkQueries(db: Kysely<Database>): TeamWorkStore {
  const findNote = async (conversationId: number, clientId: string) => {
    const row = await db
      .selectFrom("notes")
      .selectAll()
      .where("conversation_id", "=", conversationId)
      .where("client_id", "=", clientId)
      .executeTakeFirst();
    return row && toNote(row);
  };

  return {
    async appendNote(input) {
      if (input.clientId !== null) {
        const stored = await findNote(input.conversationId, input.clientId);
        if (stored !== undefined) return { note: stored, created: false };
      }
      try {
        const row = await db
          .insertInto("notes")
          .values({
            conversation_id: input.conversationId,
            agent_id: input.agentId,
            agent_name: input.agentName,
            content: input.content,
            mention_ids: JSON.stringify(input.mentionIds),
            client_id: input.clientId,
            created_at: input.at,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return { note: toNote(row), created: true };
      } catch (error) {
        // The same retry, twice at once: the other one stored it.
        if (input.clientId !== null && isUniqueViolation(error)) {
          const stored = await findNote(input.conversationId, input.clientId);
          if (stored !== undefined) return { note: stored, created: false };
        }
        throw error;
      }
    },

    async listNotes(conversationId, limit) {
      const rows = await db
        .selectFrom("notes")
        .selectAll()
        .where("conversation_id", "=", conversationId)
        .orderBy("id", "asc")
        .limit(limit)
        .execute();
      return rows.map(toNote);
    },

    async listCannedRepliesFor(agentId) {
      const rows = await db
        .selectFrom("canned_replies")
        .selectAll()
        .where((eb) => eb.or([eb("scope", "=", "shared"), eb("agent_id", "=", agentId)]))
        .orderBy("id", "asc")
        .execute();
      return rows.map(toCannedReply);
    },

    async getCannedReply(id) {
      const row = await db.selectFrom("canned_replies").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toCannedReply(row);
    },

    async listCannedRepliesByShortcut(shortcut) {
      const rows = await db
        .selectFrom("canned_replies")
        .selectAll()
        .where("shortcut", "=", shortcut)
        .orderBy("id", "asc")
        .execute();
      return rows.map(toCannedReply);
    },

    async countCannedReplies(agentId) {
      const row = await db
        .selectFrom("canned_replies")
        .select((eb) => eb.fn.countAll().as("count"))
        .where((eb) =>
          agentId === null
            ? eb("scope", "=", "shared")
            : eb.and([eb("scope", "=", "personal"), eb("agent_id", "=", agentId)]),
        )
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async createCannedReply(input) {
      const row = await db
        .insertInto("canned_replies")
        .values({
          scope: input.scope,
          agent_id: input.agentId,
          site_id: input.siteId,
          shortcut: input.shortcut,
          content: input.content,
          created_at: input.at,
          updated_at: input.at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toCannedReply(row);
    },

    async updateCannedReply(id, patch) {
      const columns: Updateable<CannedRepliesTable> = { updated_at: patch.at };
      if (patch.shortcut !== undefined) columns.shortcut = patch.shortcut;
      if (patch.content !== undefined) columns.content = patch.content;
      if (patch.siteId !== undefined) columns.site_id = patch.siteId;
      const row = await db
        .updateTable("canned_replies")
        .set(columns)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      return row && toCannedReply(row);
    },

    async deleteCannedReply(id) {
      const result = await db.deleteFrom("canned_replies").where("id", "=", id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async setChosenAvailability(agentId, availability) {
      const row = await db
        .updateTable("agents")
        .set({ chosen_availability: availability })
        .where("id", "=", agentId)
        .returningAll()
        .executeTakeFirst();
      return row && toAgent(row);
    },

    async recordAutoAssignment(agentId, at) {
      await db.updateTable("agents").set({ last_auto_assigned_at: at }).where("id", "=", agentId).execute();
    },

    async countActiveAssigned(agentIds) {
      const counts = new Map<number, number>();
      if (agentIds.length === 0) return counts;
      // Until states (§15) are stored beside the status, "open" stands for open and pending.
      const rows = await db
        .selectFrom("conversations")
        .select(["assignee_id", (eb) => eb.fn.countAll().as("count")])
        .where("assignee_id", "in", [...agentIds])
        .where("status", "=", "open")
        .groupBy("assignee_id")
        .execute();
      for (const row of rows) if (row.assignee_id !== null) counts.set(row.assignee_id, Number(row.count));
      return counts;
    },
  };
}
