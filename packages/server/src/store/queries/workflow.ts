/** (§15) Labels, the conditional state changes, and the view counts. */
import type { Kysely, Selectable } from "kysely";
import { isUniqueViolation, UniqueViolationError } from "../errors.js";
import type { Database, LabelsTable } from "../schema.js";
import type { Store } from "../store.js";
import type { StoredLabel, WorkflowStore } from "../workflowStore.js";

export type WorkflowQueries = Pick<Store, keyof WorkflowStore>;

function toLabel(row: Selectable<LabelsTable>): StoredLabel {
  return { id: row.id, name: row.name, color: row.color, createdAt: row.created_at };
}

function uniqueName(error: unknown): unknown {
  return isUniqueViolation(error)
    ? new UniqueViolationError("a label with this name", { cause: error })
    : error;
}

export function workflowQueries(
  db: Kysely<Database>,
  getConversation: Store["getConversation"],
): WorkflowQueries {
  const getLabel = async (id: number) => {
    const row = await db.selectFrom("labels").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toLabel(row);
  };
  return {
    async listLabels() {
      const rows = await db.selectFrom("labels").selectAll().orderBy("id").execute();
      return rows.map(toLabel);
    },

    getLabel,

    async countLabels() {
      const row = await db
        .selectFrom("labels")
        .select((eb) => eb.fn.countAll().as("count"))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async createLabel({ name, color, at }) {
      try {
        const row = await db
          .insertInto("labels")
          .values({ name, name_key: name.toLowerCase(), color, created_at: at })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toLabel(row);
      } catch (error) {
        throw uniqueName(error);
      }
    },

    async updateLabel(id, patch) {
      const changes: { name?: string; name_key?: string; color?: string } = {};
      if (patch.name !== undefined) {
        changes.name = patch.name;
        changes.name_key = patch.name.toLowerCase();
      }
      if (patch.color !== undefined) changes.color = patch.color;
      if (Object.keys(changes).length === 0) return getLabel(id);
      try {
        const result = await db.updateTable("labels").set(changes).where("id", "=", id).executeTakeFirst();
        return result.numUpdatedRows > 0n ? getLabel(id) : undefined;
      } catch (error) {
        throw uniqueName(error);
      }
    },

    async deleteLabel(id) {
      // Off every conversation through the foreign key's ON DELETE CASCADE.
      const result = await db.deleteFrom("labels").where("id", "=", id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async setConversationLabels(conversationId, labelIds) {
      const wanted = [...new Set(labelIds)];
      const outcome = await db.transaction().execute(async (trx) => {
        const exists = await trx
          .selectFrom("conversations")
          .select("id")
          .where("id", "=", conversationId)
          .executeTakeFirst();
        if (exists === undefined) return undefined;
        if (wanted.length > 0) {
          const found = await trx.selectFrom("labels").select("id").where("id", "in", wanted).execute();
          const known = new Set(found.map((row) => row.id));
          const unknown = wanted.filter((id) => !known.has(id));
          if (unknown.length > 0) return { unknown };
        }
        await trx.deleteFrom("conversation_labels").where("conversation_id", "=", conversationId).execute();
        if (wanted.length > 0) {
          await trx
            .insertInto("conversation_labels")
            .values(wanted.map((labelId) => ({ conversation_id: conversationId, label_id: labelId })))
            .execute();
        }
        return { unknown: [] as [] };
      });
      if (outcome === undefined || outcome.unknown.length > 0) return outcome;
      const conversation = await getConversation(conversationId);
      return conversation === undefined ? undefined : { conversation, unknown: [] };
    },

    async wakeSnoozed(id, until) {
      const result = await db
        .updateTable("conversations")
        .set({ state: "open", status: "open", snoozed_until: null, resolved_at: null })
        .where("id", "=", id)
        .where("state", "=", "snoozed")
        .where("snoozed_until", "=", until)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n ? getConversation(id) : undefined;
    },

    async reopenForVisitor(id) {
      const result = await db
        .updateTable("conversations")
        .set({ state: "open", status: "open", snoozed_until: null, resolved_at: null })
        .where("id", "=", id)
        .where("state", "<>", "open")
        .executeTakeFirst();
      return result.numUpdatedRows > 0n ? getConversation(id) : undefined;
    },

    async countViews({ agentId, siteIds }) {
      if (siteIds?.length === 0) return { mine: 0, unassigned: 0, all: 0 };
      let query = db
        .selectFrom("conversations")
        .select((eb) => [
          eb.fn.countAll().as("all"),
          eb.fn.sum(eb.case().when("assignee_id", "=", agentId).then(1).else(0).end()).as("mine"),
          eb.fn.sum(eb.case().when("assignee_id", "is", null).then(1).else(0).end()).as("unassigned"),
        ])
        .where("state", "in", ["open", "pending"]);
      if (siteIds !== undefined) query = query.where("site_id", "in", siteIds);
      const row = await query.executeTakeFirstOrThrow();
      return { mine: Number(row.mine ?? 0), unassigned: Number(row.unassigned ?? 0), all: Number(row.all) };
    },
  };
}
