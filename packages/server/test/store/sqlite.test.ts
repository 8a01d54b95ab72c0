/** The shared store suite on SQLite (always), plus what only the SQLite file has. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { openStore } from "../../src/store/openStore.js";
import { sqlitePath } from "../../src/store/sqliteDatabase.js";
import { at, newConversation, visitorMessage } from "./suite/harness.js";
import { storeSuite } from "./suite/index.js";

describe("store on SQLite", () => {
  const root = mkdtempSync(join(tmpdir(), "parley-store-sqlite-"));
  after(() => rmSync(root, { recursive: true, force: true }));
  let databases = 0;
  const newStorageDir = () => join(root, `storage-${++databases}`);
  const open = async (storageDir: string) => {
    const store = await openStore({ storageDir });
    await store.migrate();
    return store;
  };

  storeSuite(() => open(newStorageDir()), "sqlite");

  describe("the SQLite file", () => {
    it("creates the storage folder and parley.sqlite3 in WAL mode", async () => {
      const storageDir = join(newStorageDir(), "nested", "deeper");
      const store = await open(storageDir);
      await store.close();
      const db = new Database(sqlitePath(storageDir), { readonly: true, fileMustExist: true });
      try {
        assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
      } finally {
        db.close();
      }
    });

    it("runs migrations that did their work but were not recorded (a crash) again", async () => {
      const storageDir = newStorageDir();
      const first = await open(storageDir);
      const site = await first.getDefaultSite();
      await first.close();
      const db = new Database(sqlitePath(storageDir));
      try {
        // A crash during 004: it and every later migration are unrecorded.
        db.prepare("delete from kysely_migration where name >= ?").run("004_upload_addresses");
      } finally {
        db.close();
      }
      const store = await open(storageDir);
      try {
        assert.deepEqual(await store.heldUploads("192.0.2.1"), { bytes: 0, oldestAt: null });
        assert.deepEqual(await store.listSites(), [site]);
      } finally {
        await store.close();
      }
    });

    it("never reuses ids after the newest rows are deleted and the file is reopened", async () => {
      const storageDir = newStorageDir();
      const before = await open(storageDir);
      const conversation = await newConversation(before);
      let highest = 0;
      for (let i = 0; i < 3; i++) {
        highest = (await before.appendMessage(visitorMessage(conversation.id, `m${i}`, at(i)))).message.id;
      }
      assert.equal(await before.deleteConversation(conversation.id), true);
      await before.close();

      const reopened = await open(storageDir);
      try {
        const next = await newConversation(reopened);
        assert.ok(next.id > conversation.id, `conversation id ${next.id} must exceed ${conversation.id}`);
        const { message } = await reopened.appendMessage(visitorMessage(next.id, "after reopen", at(9)));
        assert.ok(message.id > highest, `message id ${message.id} must exceed ${highest}`);
      } finally {
        await reopened.close();
      }
    });

    it("keeps data across close and reopen", async () => {
      const storageDir = newStorageDir();
      const first = await open(storageDir);
      const conversation = await newConversation(first, { visitorName: "Vera" });
      const { message } = await first.appendMessage(visitorMessage(conversation.id, "persisted", at(1)));
      await first.close();
      const second = await open(storageDir);
      try {
        const found = await second.getConversation(conversation.id);
        assert.equal(found?.visitorName, "Vera");
        assert.deepEqual(found?.lastMessage, message);
      } finally {
        await second.close();
      }
    });

    it("answers ping at once while thousands of queries wait in line for the connection", async () => {
      // A restart's returning visitors queue their reads; /up must not wait behind them.
      const store = await open(newStorageDir());
      try {
        const conversation = await newConversation(store);
        const waiting = 2000;
        let done = 0;
        const reads = Array.from({ length: waiting }, () =>
          store.getConversation(conversation.id).then(() => done++),
        );
        await store.ping();
        const doneAtPing = done;
        await Promise.all(reads);
        assert.ok(doneAtPing < waiting / 2, `ping answered after ${doneAtPing} of ${waiting} queued reads`);
      } finally {
        await store.close();
      }
    });
  });
});
