/** Choosing the engine from DATABASE_URL, and refusing what it cannot use. */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { openStore } from "../../src/store/openStore.js";
import { sqlitePath } from "../../src/store/sqliteDatabase.js";

describe("openStore", () => {
  const root = mkdtempSync(join(tmpdir(), "parley-open-store-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const databaseUrl of [undefined, "", "   "]) {
    it(`uses SQLite in STORAGE_DIR when DATABASE_URL is ${JSON.stringify(databaseUrl)}`, async () => {
      const storageDir = join(root, `storage-${String(databaseUrl?.length)}`);
      const store = await openStore({ storageDir, ...(databaseUrl === undefined ? {} : { databaseUrl }) });
      try {
        assert.equal(store.engine, "sqlite");
        assert.ok(existsSync(sqlitePath(storageDir)));
      } finally {
        await store.close();
      }
    });
  }

  for (const databaseUrl of [
    "postgres://u@127.0.0.1:1/db",
    "postgresql://u@127.0.0.1:1/db",
    "POSTGRES://u@127.0.0.1:1/db",
  ]) {
    it(`uses Postgres for ${databaseUrl} (connecting lazily)`, async () => {
      const store = await openStore({ storageDir: join(root, "unused"), databaseUrl });
      try {
        assert.equal(store.engine, "postgres");
      } finally {
        await store.close();
      }
      assert.equal(existsSync(join(root, "unused")), false, "Postgres does not create the SQLite file");
    });
  }

  it("refuses another scheme, naming DATABASE_URL and the scheme but not the password", async () => {
    await assert.rejects(
      openStore({ storageDir: root, databaseUrl: "mysql://root:hunter2@db/chat" }),
      (error: Error) => {
        assert.match(error.message, /DATABASE_URL/);
        assert.match(error.message, /"mysql:"/);
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      },
    );
    await assert.rejects(
      openStore({ storageDir: root, databaseUrl: "sqlite:///var/db.sqlite3" }),
      /DATABASE_URL.*"sqlite:"/,
    );
  });

  it("refuses a DATABASE_URL that is not a URL", async () => {
    await assert.rejects(
      openStore({ storageDir: root, databaseUrl: "localhost/chat" }),
      /DATABASE_URL is not a URL/,
    );
  });

  it("names STORAGE_DIR when the SQLite file cannot be opened", async () => {
    const blocked = join(root, "storage-is-a-directory");
    const storageDir = join(blocked, "x");
    // parley.sqlite3 itself is a directory here, so SQLite cannot open it.
    mkdirSync(sqlitePath(storageDir), { recursive: true });
    await assert.rejects(openStore({ storageDir }), /STORAGE_DIR/);
  });
});
