/**
 * The shared store suite on Postgres, when TEST_DATABASE_URL points at a server. Each test gets a
 * schema of its own (through `?options=-c search_path=...`, as a deployment may use); every
 * schema of this run is dropped at the end.
 */
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import pg from "pg";
import { openStore } from "../../src/store/openStore.js";
import { MESSAGE_ORDER_LOCK_KEY } from "../../src/store/queries/messages.js";
import type { Store } from "../../src/store/store.js";
import { at, newConversation, visitorMessage } from "./suite/harness.js";
import { storeSuite } from "./suite/index.js";

const SKIP_MESSAGE = "skipped: set TEST_DATABASE_URL to run the store suite on Postgres";
const databaseUrl = process.env.TEST_DATABASE_URL;
/** Postgres never touches the storage folder; openStore still requires one. */
const UNUSED_STORAGE_DIR = join(tmpdir(), "parley-store-postgres-unused");

function withSearchPath(url: string, schema: string): string {
  const withOptions = new URL(url);
  withOptions.searchParams.set("options", `-c search_path=${schema}`);
  return withOptions.toString();
}

if (databaseUrl === undefined || databaseUrl === "") {
  // A skipped test rather than a skipped suite, so the summary's "skipped" count shows it.
  it("store on Postgres", { skip: SKIP_MESSAGE }, () => {});
} else {
  const url = databaseUrl;
  describe("store on Postgres", () => {
    const admin = new pg.Pool({ connectionString: url, max: 2 });
    const run = `parley_test_${process.pid}_${Date.now().toString(36)}`;
    const schemas: string[] = [];
    after(async () => {
      for (const schema of schemas) await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    });

    const newSchema = async () => {
      const schema = `${run}_${schemas.length + 1}`;
      schemas.push(schema);
      await admin.query(`create schema "${schema}"`);
      return schema;
    };
    const open = async (schema: string): Promise<Store> =>
      openStore({ databaseUrl: withSearchPath(url, schema), storageDir: UNUSED_STORAGE_DIR });
    const fresh = async () => {
      const store = await open(await newSchema());
      await store.migrate();
      return store;
    };

    storeSuite(fresh, "postgres");

    describe("Postgres specifics", () => {
      it("creates its tables in the schema named by the URL's search_path", async () => {
        const schema = await newSchema();
        const store = await open(schema);
        try {
          await store.migrate();
          const { rows } = await admin.query<{ table_name: string }>(
            "select table_name from information_schema.tables where table_schema = $1 order by table_name",
            [schema],
          );
          assert.deepEqual(
            rows.map((row) => row.table_name),
            [
              "agents",
              "api_tokens",
              "attachments",
              "audit_log",
              "canned_replies",
              "contacts",
              "conversation_labels",
              "conversation_ratings",
              "conversations",
              "email_inbound",
              "email_mailbox",
              "email_outbox",
              "email_threads",
              "jobs",
              "kysely_migration",
              "kysely_migration_lock",
              "labels",
              "messages",
              "notes",
              "owner_settings",
              "page_views",
              "push_subscriptions",
              "push_throttles",
              "sessions",
              "sites",
              "visitors",
              "webhook_deliveries",
              "webhooks",
            ],
          );
        } finally {
          await store.close();
        }
      });

      it("lets several nodes migrate one database at the same time", async () => {
        const schema = await newSchema();
        const nodes = await Promise.all([open(schema), open(schema), open(schema)]);
        try {
          await Promise.all(nodes.map((node) => node.migrate()));
          const conversation = await newConversation(nodes[0]);
          const { message } = await nodes[1].appendMessage(visitorMessage(conversation.id, "hi", at(1)));
          assert.deepEqual(await nodes[2].listMessagesSince(0, 10), [message]);
        } finally {
          await Promise.all(nodes.map((node) => node.close()));
        }
      });

      it("migrates while another app creates and drops schemas in the same database", async () => {
        // Kysely's own introspector looked at every schema by name and failed when one was
        // dropped under it; Parley looks only at its own (currentSchemaIntrospector.ts).
        let churning = true;
        const churner = new pg.Client({ connectionString: url });
        await churner.connect();
        const churn = (async () => {
          for (let i = 0; churning; i++) {
            const other = `${run}_churn_${i}`;
            await churner.query(`create schema "${other}"`);
            await churner.query(`create table "${other}".t (id serial primary key, a text, b text)`);
            await churner.query(`drop schema "${other}" cascade`);
          }
        })();
        try {
          for (let i = 0; i < 15; i++) {
            const store = await open(await newSchema());
            try {
              await store.migrate();
            } finally {
              await store.close();
            }
          }
        } finally {
          churning = false;
          await churn;
          await churner.end();
        }
      });

      it("keeps one row per client_id and per token across separate nodes", async () => {
        const schema = await newSchema();
        const nodes = await Promise.all([open(schema), open(schema)]);
        try {
          await nodes[0].migrate();
          const token = "shared-token-0123456789";
          const defaultSiteId = (await nodes[0].getDefaultSite()).id;
          const created = await Promise.all(
            Array.from({ length: 10 }, (_, i) =>
              nodes[i % 2]!.createConversation({
                token,
                visitorName: null,
                createdIp: null,
                siteId: defaultSiteId,
                at: at(i),
              }),
            ),
          );
          assert.equal(created.filter((result) => result.created).length, 1);
          const id = created[0]!.conversation.id;
          const appended = await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
              nodes[i % 2]!.appendMessage(visitorMessage(id, `try ${i}`, at(i), "one-send")),
            ),
          );
          assert.equal(appended.filter((result) => result.created).length, 1);
          assert.equal((await nodes[0].listMessages(id, { limit: 50 })).length, 1);
          assert.equal((await nodes[1].getConversation(id))?.unreadCount, 1);
        } finally {
          await Promise.all(nodes.map((node) => node.close()));
        }
      });

      it("hands each job to one node when several claim at once (FOR UPDATE SKIP LOCKED)", async () => {
        const schema = await newSchema();
        const nodes = await Promise.all([open(schema), open(schema), open(schema)]);
        try {
          await nodes[0].migrate();
          for (let i = 0; i < 30; i++) {
            await nodes[0].enqueueJob({ kind: "k", payload: `${i}`, runAt: at(0), at: at(0) });
          }
          const claims = await Promise.all(
            Array.from({ length: 45 }, (_, i) =>
              nodes[i % 3]!.claimJob({ now: at(1), leaseToken: `w${i}`, leaseUntil: at(61) }),
            ),
          );
          const ids = claims.flatMap((claim) => (claim === undefined ? [] : [claim.id]));
          assert.equal(new Set(ids).size, ids.length, "no job was claimed twice");
          assert.ok(ids.length >= 20, `most claims found a job (${ids.length})`);
          const rest = await nodes[1].claimJob({ now: at(2), leaseToken: "last", leaseUntil: at(62) });
          assert.equal(ids.length + (rest === undefined ? 0 : 1) <= 30, true);
        } finally {
          await Promise.all(nodes.map((node) => node.close()));
        }
      });

      it("appends a batch as one statement, and one that meets a stored row in a transaction", async () => {
        const schema = await newSchema();
        const statements: string[] = [];
        let failed = 0;
        const store = await openStore({
          databaseUrl: withSearchPath(url, schema),
          storageDir: UNUSED_STORAGE_DIR,
          onQuery: (text) => statements.push(text),
          onQueryError: () => failed++,
        });
        try {
          await store.migrate();
          const conversations = [await newConversation(store), await newConversation(store)];
          const countsOf = async (appends: number) => {
            statements.length = 0;
            failed = 0;
            // The first commits alone; the others wait for it and share the next batch. Every
            // third carries a client id that repeats (c0 in the first conversation, c3 in the
            // second): a retry, within the batch or of an earlier one.
            const clientId = (i: number) => (i === 0 ? `lead-${appends}` : i % 3 === 0 ? `c${i % 6}` : null);
            await Promise.all(
              Array.from({ length: appends }, (_, i) =>
                store.appendMessage(visitorMessage(conversations[i % 2]!.id, `m${i}`, at(i), clientId(i))),
              ),
            );
            const count = (pattern: RegExp) => statements.filter((text) => pattern.test(text)).length;
            return {
              // postgresAppendStatement.ts: the lock, the inserts and the updates in one.
              oneStatement: count(/^\s*with order_lock/),
              failed,
              // The transaction path (postgresBatchAppend.ts), for a batch with a retry.
              inserts: count(/^\s*insert into "?messages"?/i),
              updates: count(/^\s*update "?conversations"?/i),
              locks: count(/pg_advisory_xact_lock/),
              // BEGIN goes with the lock, in one round trip (inMessageOrder in messages.ts).
              beginsAlone: count(/^\s*begin\s*$/i),
              commits: count(/^\s*commit\s*$/i),
            };
          };
          // No key stored yet: each batch is one statement, committed by Postgres on its own.
          assert.deepEqual(await countsOf(5), {
            oneStatement: 2,
            failed: 0,
            inserts: 0,
            updates: 0,
            locks: 2,
            beginsAlone: 0,
            commits: 0,
          });
          // c3 is stored (above) and c0 repeats: the second batch's statement meets them and fails
          // (rolled back, so not among the statements), and the batch goes in a transaction with
          // one INSERT and one UPDATE.
          assert.deepEqual(await countsOf(40), {
            oneStatement: 1,
            failed: 1,
            inserts: 1,
            updates: 1,
            locks: 2,
            beginsAlone: 0,
            commits: 1,
          });
          const messages = await store.listMessagesSince(0, 100);
          // 5 new of 5; of 40: c3 (7 times) was stored in the first round, c0 (6 times) once.
          assert.equal(messages.length, 5 + 40 - 13 + 1);
          const withClientId = messages.filter((message) => message.clientId !== null);
          const keys = withClientId.map((message) => `${message.conversationId}/${message.clientId}`);
          assert.equal(new Set(keys).size, keys.length, "one row per (conversation, client id)");
          const unread = (await Promise.all(conversations.map((c) => store.getConversation(c.id)))).map(
            (c) => c?.unreadCount,
          );
          const stored = conversations.map((c) => messages.filter((m) => m.conversationId === c.id).length);
          assert.deepEqual(unread, stored, "each stored message counted once");
        } finally {
          await store.close();
        }
      });

      it("waits for the message-order lock before its append statement locks a conversation", async () => {
        const schema = await newSchema();
        const store = await open(schema);
        const holder = new pg.Client({ connectionString: withSearchPath(url, schema) });
        await holder.connect();
        try {
          await store.migrate();
          const conversation = await newConversation(store);
          // Another node's batch: it holds the lock and has updated the conversation.
          await holder.query("begin");
          await holder.query("select pg_advisory_xact_lock($1)", [MESSAGE_ORDER_LOCK_KEY]);
          await holder.query("update conversations set updated_at = updated_at where id = $1", [
            conversation.id,
          ]);
          const appended = store.appendMessage(visitorMessage(conversation.id, "waits", at(1), "w1"));
          // Had the statement touched the conversation first, it would wait on the row (and,
          // holding it, deadlock with a batch that has the lock and then wants the row).
          let waitsOn: string | undefined;
          for (let tries = 0; tries < 200 && waitsOn === undefined; tries++) {
            const { rows } = await admin.query<{ wait_event: string }>(
              `select wait_event from pg_stat_activity
               where wait_event_type = 'Lock' and query like '%with order_lock%' and pid <> pg_backend_pid()`,
            );
            waitsOn = rows[0]?.wait_event;
            if (waitsOn === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
          }
          assert.equal(waitsOn, "advisory");
          await holder.query("commit");
          const { message, created } = await appended;
          assert.equal(created, true);
          assert.equal((await store.getConversation(conversation.id))?.lastMessage?.id, message.id);
        } finally {
          await holder.end();
          await store.close();
        }
      });

      it("names DATABASE_URL when the search_path schema does not exist", async () => {
        const store = await open(`${run}_missing`);
        try {
          await assert.rejects(store.migrate(), /DATABASE_URL/);
        } finally {
          await store.close();
        }
      });
    });
  });
}
