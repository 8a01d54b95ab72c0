/**
 * Sites (protocol §10) and the owner's settings. Every conversation belongs to a site; an
 * upgraded install gets one default site holding every existing conversation.
 *
 * - `sites`: the JSON shapes (origins, widget settings, business hours, team) are text columns
 *   read and written whole: nothing queries inside them. `is_default` is 0/1 on both engines, and
 *   a partial unique index keeps at most one default site.
 * - `owner_settings`: one row per setting, its value JSON text.
 * - `conversations.site_id`: not null, referencing sites. Its column default is the default
 *   site's id, so a server of the previous version still running during a deploy swap (it knows
 *   no sites) keeps creating conversations, on the default site.
 *
 * SQLite cannot add a NOT NULL column with a REFERENCES clause, so there the conversations table
 * is rebuilt (SQLite's documented procedure: foreign keys off, create the new table, copy, drop
 * the old, rename, check) in one transaction; a crash leaves the old table as it was, and every
 * other step is `if not exists` or looks first, so a half-run migration can run again.
 *
 * The default site's widget settings are the built-in defaults as of this migration (copied
 * here, not imported: a migration's outcome never changes once released). The environment's
 * WIDGET_* values still win when served (chat/sites.ts).
 */
import { randomBytes } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";
import { columnTypes } from "./columnTypes.js";

const DEFAULT_SITE_NAME = "Default site";
const DEFAULT_SITE_WIDGET = {
  title: "Chat with us",
  greeting: "Hi! How can we help?",
  color: "#2563eb",
  position: "right",
  launcher_label: null,
  locale: null,
  away_message: "We're away. Leave a message and we'll reply here.",
};

export function sitesSchema(engine: Engine): Migration {
  const { idType, timeType, primaryId } = columnTypes(engine);

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("sites")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("key", "text", (col) => col.notNull().unique())
        .addColumn("name", "text", (col) => col.notNull())
        .addColumn("is_default", "integer", (col) =>
          col
            .notNull()
            .defaultTo(0)
            .check(sql`is_default in (0, 1)`),
        )
        .addColumn("archived_at", timeType)
        .addColumn("allowed_origins", "text", (col) => col.notNull())
        .addColumn("widget", "text", (col) => col.notNull())
        .addColumn("business_hours", "text")
        .addColumn("agent_ids", "text")
        .addColumn("created_at", timeType, (col) => col.notNull())
        .addColumn("updated_at", timeType, (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("sites_one_default")
        .ifNotExists()
        .unique()
        .on("sites")
        .column("is_default")
        .where(sql.ref("is_default"), "=", 1)
        .execute();

      await db.schema
        .createTable("owner_settings")
        .ifNotExists()
        .addColumn("key", "text", (col) => col.primaryKey())
        .addColumn("value", "text", (col) => col.notNull())
        .addColumn("updated_at", timeType, (col) => col.notNull())
        .execute();

      const defaultSiteId = await ensureDefaultSite(db);
      if (engine === "postgres") await addSiteIdOnPostgres(db, defaultSiteId);
      else await addSiteIdOnSqlite(db, defaultSiteId, columnTypes(engine));

      // An agent's list narrowed to their sites, in the inbox's order, with keyset paging.
      await db.schema
        .createIndex("conversations_site_id_updated_at_id")
        .ifNotExists()
        .on("conversations")
        .columns(["site_id", "updated_at", "id"])
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex("conversations_site_id_updated_at_id").ifExists().execute();
      await db.schema.alterTable("conversations").dropColumn("site_id").execute();
      await db.schema.dropTable("owner_settings").ifExists().execute();
      await db.schema.dropTable("sites").ifExists().execute();
    },
  };
}

/** The default site's id, creating it first when a previous run did not get that far. */
async function ensureDefaultSite(db: Kysely<unknown>): Promise<number> {
  const existing = await sql<{ id: number | string }>`select id from sites where is_default = 1`.execute(db);
  if (existing.rows[0] !== undefined) return Number(existing.rows[0].id);
  const now = new Date().toISOString();
  // 24 characters of [A-Za-z0-9_-]: a SITE_KEY_PATTERN key, as every new site gets (chat/sites.ts).
  const key = randomBytes(18).toString("base64url");
  const inserted = await sql<{ id: number | string }>`
    insert into sites (key, name, is_default, archived_at, allowed_origins, widget, business_hours, agent_ids, created_at, updated_at)
    values (${key}, ${DEFAULT_SITE_NAME}, 1, null, '[]', ${JSON.stringify(DEFAULT_SITE_WIDGET)}, null, null, ${now}, ${now})
    returning id`.execute(db);
  const row = inserted.rows[0];
  if (row === undefined) throw new Error("the default site was not created");
  return Number(row.id);
}

/** Postgres runs the whole migration in one transaction: add, fill, then tighten. */
async function addSiteIdOnPostgres(db: Kysely<unknown>, defaultSiteId: number): Promise<void> {
  await sql`alter table conversations add column if not exists site_id bigint references sites (id)`.execute(
    db,
  );
  await sql`update conversations set site_id = ${sql.lit(defaultSiteId)} where site_id is null`.execute(db);
  await sql`alter table conversations alter column site_id set default ${sql.lit(defaultSiteId)}`.execute(db);
  await sql`alter table conversations alter column site_id set not null`.execute(db);
}

async function addSiteIdOnSqlite(
  db: Kysely<unknown>,
  defaultSiteId: number,
  { idType, timeType, primaryId }: ReturnType<typeof columnTypes>,
): Promise<void> {
  const { rows } = await sql<{ name: string }>`select name from pragma_table_info('conversations')`.execute(
    db,
  );
  if (rows.some((column) => column.name === "site_id")) return;

  // Off outside the transaction (SQLite ignores the pragma inside one): dropping the old table
  // must not cascade to messages, whose references find the new table by name afterwards.
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await trx.schema.dropTable("conversations_new").ifExists().execute();
      // 001's columns, unchanged, plus site_id.
      await trx.schema
        .createTable("conversations_new")
        .addColumn("id", idType, primaryId)
        .addColumn("visitor_token", "text", (col) => col.notNull().unique())
        .addColumn("visitor_name", "text")
        .addColumn("status", "text", (col) =>
          col
            .notNull()
            .defaultTo("open")
            .check(sql`status in ('open', 'closed')`),
        )
        .addColumn("assignee_id", idType, (col) => col.references("agents.id").onDelete("set null"))
        .addColumn("unread_count", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("last_read_message_id", idType, (col) => col.notNull().defaultTo(0))
        .addColumn("created_ip", "text")
        .addColumn("created_at", timeType, (col) => col.notNull())
        .addColumn("updated_at", timeType, (col) => col.notNull())
        .addColumn("visitor_last_seen_at", timeType)
        .addColumn("site_id", idType, (col) => col.notNull().defaultTo(defaultSiteId).references("sites.id"))
        .execute();
      await sql`
        insert into conversations_new (id, visitor_token, visitor_name, status, assignee_id, unread_count,
          last_read_message_id, created_ip, created_at, updated_at, visitor_last_seen_at, site_id)
        select id, visitor_token, visitor_name, status, assignee_id, unread_count,
          last_read_message_id, created_ip, created_at, updated_at, visitor_last_seen_at, ${defaultSiteId}
        from conversations`.execute(trx);
      // AUTOINCREMENT's high-water mark: a deleted conversation's id is never handed out again.
      await sql`delete from sqlite_sequence where name = 'conversations_new'`.execute(trx);
      await sql`
        insert into sqlite_sequence (name, seq)
        select 'conversations_new', seq from sqlite_sequence where name = 'conversations'`.execute(trx);
      await trx.schema.dropTable("conversations").execute();
      await trx.schema.alterTable("conversations_new").renameTo("conversations").execute();
      // 001's indexes went with the old table.
      await trx.schema
        .createIndex("conversations_updated_at_id")
        .on("conversations")
        .columns(["updated_at", "id"])
        .execute();
      await trx.schema
        .createIndex("conversations_created_ip_created_at")
        .on("conversations")
        .columns(["created_ip", "created_at"])
        .execute();
      await trx.schema
        .createIndex("conversations_assignee_id")
        .on("conversations")
        .column("assignee_id")
        .execute();
      const broken = await sql`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length > 0) {
        throw new Error(`foreign keys broken by the conversations rebuild: ${JSON.stringify(broken.rows)}`);
      }
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
