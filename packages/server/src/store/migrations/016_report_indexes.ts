/**
 * Indexes for the reports (protocol §18) on messages, which 015 left alone:
 * - `messages_created_at`: a report reads the messages of its period's days by time (counts per
 *   day, first visitor messages), a range scan instead of the whole table;
 * - `messages_conversation_id_sender_created_at`: for each first visitor message, "is there an
 *   earlier visitor message" and "the first agent message after it" are each one probe.
 *
 * `ifNotExists`, so a half-run migration on SQLite can run again.
 */
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

export function reportIndexes(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex("messages_created_at")
        .ifNotExists()
        .on("messages")
        .column("created_at")
        .execute();
      await db.schema
        .createIndex("messages_conversation_id_sender_created_at")
        .ifNotExists()
        .on("messages")
        .columns(["conversation_id", "sender", "created_at"])
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex("messages_conversation_id_sender_created_at").ifExists().execute();
      await db.schema.dropIndex("messages_created_at").ifExists().execute();
    },
  };
}
