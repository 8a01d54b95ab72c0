/**
 * The synchronous append on SQLite (store/queries/sqliteAppend.ts): what it does differently
 * from the Kysely path, which the shared store suite cannot see. It shares the connection with
 * Kysely's transactions, it tells the statement hooks (metrics) of its statements, and it leaves
 * no transaction open when SQLite fails it (a full disk).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Kysely } from "kysely";
import { isStorageFull } from "../../src/store/errors.js";
import { createKyselyStore } from "../../src/store/kyselyStore.js";
import { openStore } from "../../src/store/openStore.js";
import type { Database } from "../../src/store/schema.js";
import { openSqliteInStorage } from "../../src/store/sqliteDatabase.js";
import { SqliteDialectKeepingErrors } from "../../src/store/sqliteDialect.js";
import { cachingStatements } from "../../src/store/statementCache.js";
import { at, newConversation, visitorMessage } from "./suite/harness.js";

describe("the synchronous SQLite append", () => {
  const root = mkdtempSync(join(tmpdir(), "parley-sqlite-append-"));
  after(() => rmSync(root, { recursive: true, force: true }));
  let dirs = 0;
  const storageDir = () => join(root, `storage-${++dirs}`);

  it("waits for a Kysely transaction holding the connection, and never lands inside it", async () => {
    let onAppendInside: (() => void) | undefined;
    const store = await openStore({
      storageDir: storageDir(),
      // The quota check's select runs inside createAttachment's transaction: append right then.
      onQuery: (sqlText) => {
        if (/^select sum/i.test(sqlText) && onAppendInside !== undefined) {
          const append = onAppendInside;
          onAppendInside = undefined;
          append();
        }
      },
    });
    try {
      await store.migrate();
      const conversation = await newConversation(store);
      let appended: Promise<unknown> | undefined;
      onAppendInside = () => {
        appended = store.appendMessage(visitorMessage(conversation.id, "survives", at(1)));
      };
      // Over the quota: the transaction rolls back. An append run inside it would go with it.
      const refused = store.createAttachment(
        {
          storageKey: "ab/big",
          thumbnailKey: null,
          filename: "big.bin",
          contentType: "application/octet-stream",
          byteSize: 1000,
          width: null,
          height: null,
          uploadedBy: "visitor",
          visitorToken: conversation.visitorToken,
          agentId: null,
          uploaderIp: "192.0.2.7",
          at: at(1),
        },
        { maxHeldBytes: 10 },
      );
      await assert.rejects(refused, { name: "UploadQuotaExceededError" });
      assert.notEqual(appended, undefined, "the append was started inside the transaction");
      await appended;
      const messages = await store.listMessages(conversation.id, { limit: 10 });
      assert.deepEqual(
        messages.map((message) => message.content),
        ["survives"],
      );
      assert.equal((await store.getConversation(conversation.id))?.unreadCount, 1);
    } finally {
      await store.close();
    }
  });

  it("tells the statement hooks of its statements, as Kysely's log does", async () => {
    const statements: string[] = [];
    const store = await openStore({
      storageDir: storageDir(),
      onQuery: (sqlText) => statements.push(sqlText),
    });
    try {
      await store.migrate();
      const conversation = await newConversation(store);
      statements.length = 0;
      await store.appendMessage(visitorMessage(conversation.id, "counted", at(1)));
      assert.ok(
        statements.some((sqlText) => /^insert into "messages"/.test(sqlText)),
        statements.join("\n"),
      );
      assert.ok(
        statements.some((sqlText) => /^update "conversations"/.test(sqlText)),
        statements.join("\n"),
      );
    } finally {
      await store.close();
    }
  });

  it("reports SQLITE_FULL as storage full, rolls the batch back and appends again once there is room", async () => {
    const sqlite = openSqliteInStorage(storageDir());
    const statements = cachingStatements(sqlite);
    const store = createKyselyStore(
      new Kysely<Database>({ dialect: new SqliteDialectKeepingErrors({ database: statements }, sqlite) }),
      "sqlite",
      undefined,
      { database: sqlite, statements },
    );
    try {
      await store.migrate();
      const conversation = await newConversation(store);
      const pages = sqlite.pragma("page_count", { simple: true }) as number;
      sqlite.pragma(`max_page_count = ${pages + 2}`);
      const big = "x".repeat(20_000);
      let failure: unknown;
      // A few appends at once share a batch; the retry one by one fails each alone.
      const results = await Promise.allSettled(
        [1, 2, 3].map((i) => store.appendMessage(visitorMessage(conversation.id, `${i}${big}`, at(i)))),
      );
      for (const result of results) if (result.status === "rejected") failure ??= result.reason;
      assert.equal((failure as { code?: string } | undefined)?.code, "SQLITE_FULL");
      assert.ok(isStorageFull(failure));
      assert.equal(sqlite.inTransaction, false);
      const stored = results.filter((result) => result.status === "fulfilled").length;
      assert.equal((await store.listMessages(conversation.id, { limit: 10 })).length, stored);

      sqlite.pragma("max_page_count = 1073741823");
      const { created } = await store.appendMessage(visitorMessage(conversation.id, "room again", at(9)));
      assert.equal(created, true);
      assert.equal((await store.listMessages(conversation.id, { limit: 10 })).length, stored + 1);
      assert.equal((await store.getConversation(conversation.id))?.unreadCount, stored + 1);
    } finally {
      await store.close();
    }
  });
});
