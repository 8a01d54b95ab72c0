/**
 * The indexes on columns that are null for most rows hold only the rows that have a value:
 * - `conversations_assignee_id`: null until someone takes the conversation;
 * - `conversations_contact_id`: null unless the visitor was identified (§12);
 * - `conversations_resolved_at`: null until it is resolved (§18);
 * - `messages_agent_id`: null on every visitor's message.
 *
 * Every visitor's first message inserted a null into the first three and every visitor message
 * one into the last: a page of each index written per commit for entries no statement reads. The
 * lookups they serve all compare the column with a value (`assignee_id = ?` or `in (…)`, the
 * reports' `resolved_at >= ?`, the foreign keys' `agent_id = ?` when an agent is deleted), which
 * implies it is not null, so both engines use the partial index for them. The inbox's "unassigned"
 * list (`assignee_id is null`) now reads the conversations in its own order (updated_at, or a
 * state's or site's index) and stops at a page, where SQLite read every unassigned conversation
 * by the old index and sorted them. In the bench's chat (SQLite, every statement timed): a
 * conversation's insert 66 -> 41 µs, a message's 23 -> 17 µs, a commit 162 -> 142 µs
 * (docs/benchmarks.md, seventeenth pass).
 *
 * Each is dropped and made again, so an interrupted run can run again (`ifExists`, `ifNotExists`).
 */
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

const PARTIAL = [
  { name: "conversations_assignee_id", table: "conversations", column: "assignee_id" },
  { name: "conversations_contact_id", table: "conversations", column: "contact_id" },
  { name: "conversations_resolved_at", table: "conversations", column: "resolved_at" },
  { name: "messages_agent_id", table: "messages", column: "agent_id" },
] as const;

export function partialNullIndexes(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const { name, table, column } of PARTIAL) {
        await db.schema.dropIndex(name).ifExists().execute();
        await db.schema
          .createIndex(name)
          .ifNotExists()
          .on(table)
          .column(column)
          .where(sql.ref(column), "is not", null)
          .execute();
      }
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const { name, table, column } of PARTIAL) {
        await db.schema.dropIndex(name).ifExists().execute();
        await db.schema.createIndex(name).ifNotExists().on(table).column(column).execute();
      }
    },
  };
}
