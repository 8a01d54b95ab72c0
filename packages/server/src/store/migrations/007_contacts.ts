/**
 * Contacts, verified identity and the visitor's context (protocol §12).
 *
 * - `contacts`: the people a site's agents talk to. `external_id` is the site's own user id,
 *   verified (the site's back end signed it) or only claimed; a partial unique index keeps one
 *   verified contact per (site, id), while unverified claims may repeat (they are never merged).
 *   `session_token` is the contact's own visitor token: a second browser identified as them
 *   adopts it. `attributes` is JSON text, read and written whole.
 * - `visitors`: what is known of one token on one site (first page, referrer, UTM tags, browser,
 *   language, time zone, last address) and which contact it is.
 * - `page_views`: a visitor's pages, the newest 50 kept (queries/contacts.ts trims).
 * - `conversations.contact_id`: the contact a conversation is with, once known.
 * - `sites`: `identity_secret` (the HMAC key identify hashes are made with: 32 random bytes,
 *   base64url, one per site, existing sites included), `identity_required`,
 *   `keep_query_strings`; the widget settings (JSON) gain `prechat`, off for every existing site.
 *
 * Every step looks first or is `if not exists`, so a half-run migration on SQLite (whose DDL is
 * not run in one transaction) can run again.
 */
import { randomBytes } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";
import { hasColumn } from "./hasColumn.js";
import { columnTypes } from "./columnTypes.js";

/** As of this migration (copied, not imported: a migration's outcome never changes once released). */
const PRECHAT_OFF = { name: "off", email: "off" };

export function contactsSchema(engine: Engine): Migration {
  const { idType, timeType, primaryId } = columnTypes(engine);
  const flag = (name: string) => sql`integer not null default 0 check (${sql.ref(name)} in (0, 1))`;

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("contacts")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("site_id", idType, (col) => col.notNull().references("sites.id"))
        .addColumn("external_id", "text")
        .addColumn("verified", "integer", (col) =>
          col
            .notNull()
            .defaultTo(0)
            .check(sql`verified in (0, 1)`),
        )
        .addColumn("name", "text")
        .addColumn("email", "text")
        .addColumn("attributes", "text", (col) => col.notNull().defaultTo("{}"))
        .addColumn("session_token", "text", (col) => col.notNull())
        .addColumn("first_seen_at", timeType, (col) => col.notNull())
        .addColumn("last_seen_at", timeType, (col) => col.notNull())
        .addColumn("created_at", timeType, (col) => col.notNull())
        .addColumn("updated_at", timeType, (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("contacts_site_id_verified_external_id")
        .ifNotExists()
        .unique()
        .on("contacts")
        .columns(["site_id", "external_id"])
        .where(sql.ref("verified"), "=", 1)
        .execute();
      // A site's contacts, newest first, with keyset paging by id.
      await db.schema
        .createIndex("contacts_site_id_id")
        .ifNotExists()
        .on("contacts")
        .columns(["site_id", "id"])
        .execute();

      await db.schema
        .createTable("visitors")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("site_id", idType, (col) => col.notNull().references("sites.id"))
        .addColumn("token", "text", (col) => col.notNull())
        .addColumn("contact_id", idType, (col) => col.references("contacts.id").onDelete("set null"))
        .addColumn("first_page_url", "text")
        .addColumn("first_page_title", "text")
        .addColumn("first_page_at", timeType)
        .addColumn("referrer", "text")
        .addColumn("utm", "text")
        .addColumn("user_agent", "text")
        .addColumn("browser", "text")
        .addColumn("os", "text")
        .addColumn("device", "text")
        .addColumn("language", "text")
        .addColumn("time_zone", "text")
        .addColumn("ip_address", "text")
        .addColumn("first_seen_at", timeType, (col) => col.notNull())
        .addColumn("last_seen_at", timeType, (col) => col.notNull())
        .addUniqueConstraint("visitors_site_id_token", ["site_id", "token"])
        .execute();
      await db.schema
        .createIndex("visitors_contact_id")
        .ifNotExists()
        .on("visitors")
        .column("contact_id")
        .execute();

      await db.schema
        .createTable("page_views")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("visitor_id", idType, (col) => col.notNull().references("visitors.id").onDelete("cascade"))
        .addColumn("url", "text", (col) => col.notNull())
        .addColumn("title", "text")
        .addColumn("at", timeType, (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("page_views_visitor_id_id")
        .ifNotExists()
        .on("page_views")
        .columns(["visitor_id", "id"])
        .execute();

      // SQLite adds a column with a REFERENCES clause when its default is null, as this one's is.
      if (!(await hasColumn(db, engine, "conversations", "contact_id"))) {
        await db.schema
          .alterTable("conversations")
          .addColumn("contact_id", idType, (col) => col.references("contacts.id").onDelete("set null"))
          .execute();
      }
      await db.schema
        .createIndex("conversations_contact_id")
        .ifNotExists()
        .on("conversations")
        .column("contact_id")
        .execute();

      if (!(await hasColumn(db, engine, "sites", "identity_secret"))) {
        await sql`alter table sites add column identity_secret text not null default ''`.execute(db);
      }
      if (!(await hasColumn(db, engine, "sites", "identity_required"))) {
        await sql`alter table sites add column identity_required ${flag("identity_required")}`.execute(db);
      }
      if (!(await hasColumn(db, engine, "sites", "keep_query_strings"))) {
        await sql`alter table sites add column keep_query_strings ${flag("keep_query_strings")}`.execute(db);
      }
      const sites = await sql<{
        id: number | string;
        identity_secret: string;
        widget: string;
      }>`select id, identity_secret, widget from sites`.execute(db);
      for (const site of sites.rows) {
        const widget = JSON.parse(site.widget) as Record<string, unknown>;
        const secret = site.identity_secret === "" ? newIdentitySecret() : site.identity_secret;
        if (widget.prechat === undefined) widget.prechat = PRECHAT_OFF;
        await sql`update sites set identity_secret = ${secret}, widget = ${JSON.stringify(widget)}
          where id = ${Number(site.id)}`.execute(db);
      }
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex("conversations_contact_id").ifExists().execute();
      await db.schema.alterTable("conversations").dropColumn("contact_id").execute();
      await db.schema.alterTable("sites").dropColumn("keep_query_strings").execute();
      await db.schema.alterTable("sites").dropColumn("identity_required").execute();
      await db.schema.alterTable("sites").dropColumn("identity_secret").execute();
      await db.schema.dropTable("page_views").ifExists().execute();
      await db.schema.dropTable("visitors").ifExists().execute();
      await db.schema.dropTable("contacts").ifExists().execute();
    },
  };
}

/** 32 random bytes, base64url (43 characters): the key a site's identify hashes are made with. */
function newIdentitySecret(): string {
  return randomBytes(32).toString("base64url");
}
