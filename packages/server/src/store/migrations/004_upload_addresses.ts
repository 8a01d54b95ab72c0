/**
 * The address a visitor's upload came from, so what one address holds in uploads not yet sent
 * can be capped (chat/attachments.ts): visitor tokens are invented by the client, addresses are
 * not. It is kept only while the upload waits: attaching it to a message clears it.
 *
 * SQLite has no `add column if not exists` and runs migrations outside a transaction, so there
 * the column is added only when missing, and a half-run migration can run again.
 */
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";

export function uploadAddresses(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (engine === "postgres") {
        // Resolved through the search_path, like every other statement (one schema per deployment).
        await sql`alter table attachments add column if not exists uploader_ip text`.execute(db);
      } else {
        const { rows } = await sql<{
          name: string;
        }>`select name from pragma_table_info('attachments')`.execute(db);
        if (!rows.some((column) => column.name === "uploader_ip")) {
          await db.schema.alterTable("attachments").addColumn("uploader_ip", "text").execute();
        }
      }
      // The held-bytes sum of one address; rows leave the index once attached.
      await db.schema
        .createIndex("attachments_uploader_ip")
        .ifNotExists()
        .on("attachments")
        .column("uploader_ip")
        .where(sql.ref("uploader_ip"), "is not", null)
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex("attachments_uploader_ip").ifExists().execute();
      await db.schema.alterTable("attachments").dropColumn("uploader_ip").execute();
    },
  };
}
