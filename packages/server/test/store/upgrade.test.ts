/**
 * Upgrading to sites (migration 005): a database made by the previous release (migrations up to
 * 004) with conversations, messages and what hangs off them migrates to the latest schema with
 * every row kept, every conversation on the one default site, and its foreign keys and id
 * sequences working, on SQLite and on Postgres.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Kysely, SqliteDialect, sql } from "kysely";
import { Migrator } from "kysely/migration";
import { SITE_KEY_PATTERN } from "@parley/protocol";
import { CurrentSchemaPostgresDialect } from "../../src/store/currentSchemaIntrospector.js";
import { migrationsFor } from "../../src/store/migrations/index.js";
import { openStore } from "../../src/store/openStore.js";
import { createPostgresPool } from "../../src/store/postgresPool.js";
import type { Database, Engine } from "../../src/store/schema.js";
import { openSqliteInStorage } from "../../src/store/sqliteDatabase.js";
import type { Store } from "../../src/store/store.js";
import { POSTGRES_SKIP, postgresSchema } from "../support/postgres.js";
import { at } from "./suite/harness.js";

const PREVIOUS_RELEASE = "004_upload_addresses";
const TABLES = ["agents", "conversations", "messages", "attachments", "sessions", "push_throttles"] as const;

type Rows = Record<(typeof TABLES)[number], Record<string, unknown>[]>;

/** A database as the previous release left it, filled through plain SQL (its Store knew no sites). */
async function previousRelease(db: Kysely<Database>, engine: Engine, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrationsFor(engine) },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error } = await migrator.migrateTo(PREVIOUS_RELEASE);
  if (error !== undefined) throw error instanceof Error ? error : new Error(JSON.stringify(error));

  await db
    .insertInto("agents")
    .values({ username: "ada", name: "Ada", role: "owner", password_hash: "h", created_at: at(0) })
    .execute();
  await db
    .insertInto("sessions")
    .values({ id: "s".repeat(64), agent_id: 1, created_at: at(0), expires_at: at(999) })
    .execute();
  for (let c = 1; c <= 4; c++) {
    await db
      .insertInto("conversations")
      .values({
        visitor_token: `old-visitor-token-${c}`,
        visitor_name: c === 2 ? null : `Visitor ${c}`,
        status: c === 3 ? "closed" : "open",
        assignee_id: c === 1 ? 1 : null,
        unread_count: c,
        last_read_message_id: 0,
        created_ip: "192.0.2.7",
        created_at: at(c),
        updated_at: at(c + 10),
        visitor_last_seen_at: c === 1 ? at(50) : null,
      })
      .execute();
    for (let m = 0; m < 3; m++) {
      await db
        .insertInto("messages")
        .values({
          conversation_id: c,
          sender: m === 1 ? "admin" : "visitor",
          content: `message ${c}/${m}`,
          created_at: at(c * 10 + m),
          client_id: m === 0 ? `client-${c}` : null,
          agent_id: m === 1 ? 1 : null,
          agent_name: m === 1 ? "Ada" : null,
        })
        .execute();
    }
  }
  await db
    .insertInto("attachments")
    .values({
      storage_key: "blob-1",
      thumbnail_key: null,
      filename: "a.pdf",
      content_type: "application/pdf",
      byte_size: 10,
      width: null,
      height: null,
      uploaded_by: "visitor",
      visitor_token: "old-visitor-token-1",
      agent_id: null,
      message_id: 1,
      attached_at: at(10),
      created_at: at(10),
      uploader_ip: null,
    })
    .execute();
  await db
    .insertInto("push_throttles")
    .values({ agent_id: 1, conversation_id: 1, last_sent_at: at(11), last_message_id: 1 })
    .execute();
  // The newest conversation is gone: its id must never be handed out again.
  await db.deleteFrom("conversations").where("id", "=", 4).execute();
}

async function rowsOf(db: Kysely<Database>): Promise<Rows> {
  const rows = {} as Rows;
  for (const table of TABLES) {
    const found = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    // Without site_id, contact_id, avatar_file, state and snoozed_until, the availability
    // columns, the agents' email settings, messages' via and the reports' resolved_at and
    // rating_requested_at (migrations 005, 007, 009, 010, 011, 012, 013, 015), so before and
    // after compare; sorted by what every table has.
    rows[table] = found.rows
      .map(
        ({
          site_id: _siteId,
          contact_id: _contactId,
          avatar_file: avatarFile,
          state: _state,
          snoozed_until: _snoozedUntil,
          resolved_at: _resolvedAt,
          rating_requested_at: _ratingRequestedAt,
          chosen_availability: chosen,
          last_auto_assigned_at: lastAssigned,
          email: email,
          email_alerts: alerts,
          email_alert_after_minutes: _alertAfter,
          email_alerted_at: alertedAt,
          via,
          ...row
        }) => {
          // Every message of the previous release came through a client.
          assert.ok(via === undefined || via === null);
          // Every agent of the previous release has no email, alerts within hours, never alerted.
          assert.ok(email === undefined || email === null);
          assert.ok(alerts === undefined || alerts === "within_hours");
          assert.ok(alertedAt === undefined || alertedAt === null);
          // Every agent of the previous release has no photo, starts online, was never auto-assigned.
          assert.ok(avatarFile === undefined || avatarFile === null);
          assert.ok(chosen === undefined || chosen === "online");
          assert.ok(lastAssigned === undefined || lastAssigned === null);
          return row;
        },
      )
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return rows;
}

async function checkUpgrade(db: Kysely<Database>, reopen: () => Promise<Store>): Promise<void> {
  const before = await rowsOf(db);
  assert.equal(before.conversations.length, 3);
  assert.equal(before.messages.length, 9);

  const store = await reopen();
  try {
    await store.migrate();
    assert.deepEqual(await rowsOf(db), before, "every row kept, unchanged");

    const sites = await store.listSites();
    assert.equal(sites.length, 1);
    const site = sites[0]!;
    assert.equal(site.isDefault, true);
    assert.match(site.key, SITE_KEY_PATTERN);
    assert.deepEqual(site.allowedOrigins, [], "the default site's origins are ALLOWED_ORIGINS");
    // Migration 007: an identity secret of its own, no pre-chat form, identity not required.
    assert.match(site.identitySecret, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(site.widget.prechat, { name: "off", email: "off" });
    assert.equal(site.identityRequired, false);
    assert.equal(site.keepQueryStrings, false);
    const conversations = await store.listConversations({ limit: 10 });
    assert.deepEqual(
      conversations.map((conversation) => [conversation.id, conversation.siteId]),
      [
        [3, site.id],
        [2, site.id],
        [1, site.id],
      ],
    );
    assert.deepEqual(
      (await store.listConversations({ siteIds: [site.id], limit: 10 })).map((c) => c.id),
      [3, 2, 1],
    );
    assert.equal((await store.getConversation(1))?.lastMessage?.content, "message 1/2");
    // Migration 010: a closed conversation is resolved, the others open, none snoozed.
    assert.deepEqual(
      conversations.map((conversation) => [conversation.id, conversation.state, conversation.snoozedUntil]),
      [
        [3, "resolved", null],
        [2, "open", null],
        [1, "open", null],
      ],
    );

    // A previous-release server still running during the deploy inserts without a site.
    await db
      .insertInto("conversations")
      .values({ visitor_token: "during-the-swap-1", created_at: at(90), updated_at: at(90) })
      .execute();
    const during = await store.findConversationByToken("during-the-swap-1");
    assert.equal(during?.siteId, site.id);
    assert.ok(during.id > 4, `id ${during.id} is past the deleted conversation 4`);

    // The foreign keys still hold: a conversation takes its messages and throttles with it.
    assert.equal(await store.deleteConversation(1), true);
    assert.deepEqual(await store.listMessages(1, { limit: 10 }), []);
    assert.equal(await store.getPushThrottle(1, 1), undefined);
    assert.equal((await store.getAttachment(1))?.messageId, null);

    // Running it again changes nothing.
    await store.migrate();
    assert.deepEqual(await store.listSites(), [site]);
  } finally {
    await store.close();
  }
}

describe("upgrade to sites (migration 005)", () => {
  const root = mkdtempSync(join(tmpdir(), "parley-upgrade-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  it("on SQLite: keeps every row and puts every conversation on the default site", async () => {
    const storageDir = join(root, "sqlite");
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: openSqliteInStorage(storageDir) }),
    });
    try {
      await previousRelease(db, "sqlite");
      await checkUpgrade(db, () => openStore({ storageDir }));
    } finally {
      await db.destroy();
    }
  });

  it("on SQLite: a rebuild that died before it was recorded runs again", async () => {
    const storageDir = join(root, "sqlite-again");
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: openSqliteInStorage(storageDir) }),
    });
    try {
      await previousRelease(db, "sqlite");
      const first = await openStore({ storageDir });
      await first.migrate();
      const site = await first.getDefaultSite();
      await first.close();
      await sql`delete from kysely_migration where name >= '005_sites'`.execute(db);
      const second = await openStore({ storageDir });
      try {
        await second.migrate();
        assert.deepEqual(await second.listSites(), [site]);
        assert.equal((await second.listConversations({ siteIds: [site.id], limit: 10 })).length, 3);
      } finally {
        await second.close();
      }
    } finally {
      await db.destroy();
    }
  });

  const postgres = process.env.TEST_DATABASE_URL ? postgresSchema() : undefined;
  if (postgres === undefined) {
    it("on Postgres", { skip: POSTGRES_SKIP }, () => {});
  } else {
    it("on Postgres: keeps every row and puts every conversation on the default site", async () => {
      const schema = (await postgres)!;
      after(() => schema.drop());
      const db = new Kysely<Database>({
        dialect: new CurrentSchemaPostgresDialect({ pool: await createPostgresPool(schema.url) }),
      });
      try {
        const name = new URL(schema.url).searchParams.get("options")!.replace("-c search_path=", "");
        await previousRelease(db, "postgres", name);
        await checkUpgrade(db, () => openStore({ databaseUrl: schema.url, storageDir: root }));
      } finally {
        await db.destroy();
      }
    });
  }
});
