/**
 * SQLite's synchronous writers share one transaction per event-loop turn
 * (store/queries/sqliteWrites.ts): a turn's appends, webhook events and delivery claims commit
 * together, and a step that fails still fails alone. Each commit tells the checkpointer how many
 * steps it held (noteWrites), which is what these tests read.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Kysely } from "kysely";
import { createKyselyStore } from "../../src/store/kyselyStore.js";
import type { Database } from "../../src/store/schema.js";
import { openSqliteInStorage } from "../../src/store/sqliteDatabase.js";
import { SqliteDialectKeepingErrors } from "../../src/store/sqliteDialect.js";
import { cachingStatements } from "../../src/store/statementCache.js";
import type { Store } from "../../src/store/store.js";
import type { WalCheckpointer } from "../../src/store/walCheckpointer.js";
import { at, newConversation, newWebhook, outboxRow, visitorMessage } from "./suite/harness.js";

describe("SQLite's writes of one turn", () => {
  const root = mkdtempSync(join(tmpdir(), "parley-sqlite-writes-"));
  after(() => rmSync(root, { recursive: true, force: true }));
  let dirs = 0;

  /** A store whose commits are counted: the number of steps in each, in order. */
  async function countedStore(): Promise<{ store: Store; commits: number[] }> {
    const sqlite = openSqliteInStorage(join(root, `storage-${++dirs}`));
    const statements = cachingStatements(sqlite);
    const commits: number[] = [];
    const checkpointer: WalCheckpointer = {
      noteWrites: (count) => commits.push(count),
      state: "off",
      handovers: { count: 0, pagesOnMain: 0 },
      close: async () => {},
    };
    const store = createKyselyStore(
      new Kysely<Database>({ dialect: new SqliteDialectKeepingErrors({ database: statements }, sqlite) }),
      "sqlite",
      undefined,
      { database: sqlite, statements, checkpointer },
    );
    await store.migrate();
    return { store, commits };
  }

  it("commits a turn's appends, webhook events and delivery claims together", async () => {
    const { store, commits } = await countedStore();
    try {
      const webhookId = (await newWebhook(store)).id;
      const conversation = await newConversation(store);
      await store.insertWebhookDeliveries([outboxRow(webhookId, conversation.id, "before")]);
      commits.length = 0;

      // Handed over in one turn: one transaction.
      const [one, two, stored, claimed] = await Promise.all([
        store.appendMessage(visitorMessage(conversation.id, "one", at(2))),
        store.appendMessage(visitorMessage(conversation.id, "two", at(2))),
        store.insertWebhookDeliveries([outboxRow(webhookId, conversation.id, "m:1")]),
        store.claimWebhookDeliveries(webhookId, { now: at(3), until: at(4), limit: 10 }),
      ]);
      assert.deepEqual(commits, [4]);
      assert.equal(one.created && two.created, true);
      assert.deepEqual(stored.inserted, [true]);
      assert.deepEqual(
        claimed.map((delivery) => delivery.eventKey),
        ["before"],
        "the claim sees what the turn stored before it; the new event waits behind the one before",
      );

      // Handed over in separate turns: a transaction each.
      await store.appendMessage(visitorMessage(conversation.id, "three", at(5)));
      await store.insertWebhookDeliveries([outboxRow(webhookId, conversation.id, "m:2")]);
      assert.deepEqual(commits, [4, 1, 1]);
    } finally {
      await store.close();
    }
  });

  it("fails a bad step alone and commits the others of its turn", async () => {
    const { store, commits } = await countedStore();
    try {
      const webhookId = (await newWebhook(store)).id;
      const conversation = await newConversation(store);
      commits.length = 0;
      const bad = outboxRow(webhookId, conversation.id, "bad");
      // A NOT NULL column left null: the database refuses the row.
      bad.delivery.payload = null as unknown as string;

      const [appended, outbox, claimed] = await Promise.allSettled([
        store.appendMessage(visitorMessage(conversation.id, "kept", at(2))),
        store.insertWebhookDeliveries([outboxRow(webhookId, conversation.id, "good"), bad]),
        store.claimWebhookDeliveries(webhookId, { now: at(3), until: at(4), limit: 10 }),
      ]);
      assert.equal(appended.status, "fulfilled");
      assert.equal(outbox.status, "rejected");
      assert.equal(claimed.status, "fulfilled");
      // The turn rolled back, then each step ran alone: the append and the claim committed.
      assert.deepEqual(commits, [1, 1]);
      assert.deepEqual(
        (await store.listMessages(conversation.id, { limit: 10 })).map((message) => message.content),
        ["kept"],
      );
      assert.deepEqual(await store.listWebhookDeliveries(webhookId, { limit: 10 }), []);
    } finally {
      await store.close();
    }
  });
});
