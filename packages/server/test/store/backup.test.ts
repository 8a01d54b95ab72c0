/** backupSqlite: a consistent copy of a database that another process keeps writing to. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fork } from "node:child_process";
import Database from "better-sqlite3";
import { backupSqlite } from "../../src/store/backup.js";
import { openStore } from "../../src/store/openStore.js";
import { sqlitePath } from "../../src/store/sqliteDatabase.js";
import type { WriterReport } from "./fixtures/sqliteWriter.js";
import { at, newConversation, visitorMessage } from "./suite/harness.js";

describe("backupSqlite", () => {
  const root = mkdtempSync(join(tmpdir(), "parley-backup-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  it("copies a database that is being written to, as one consistent state", async (t) => {
    const storageDir = join(root, "live");
    const store = await openStore({ storageDir });
    await store.migrate();
    const conversation = await newConversation(store);
    // Enough data that the copy takes a while, so the writer commits during it.
    for (let i = 0; i < 3000; i++) {
      await store.appendMessage(visitorMessage(conversation.id, `${i} ${"x".repeat(2000)}`, at(i)));
    }

    const reports: WriterReport[] = [];
    const writer = fork(
      new URL("./fixtures/sqliteWriter.ts", import.meta.url),
      [storageDir, String(conversation.id)],
      { execArgv: ["--conditions=source", "--import", "tsx"] },
    );
    writer.on("message", (report: WriterReport) => reports.push(report));
    const writerExit = new Promise<number | null>((resolve) => writer.once("exit", resolve));
    const stopWriter = async () => {
      if (writer.connected) writer.send("stop");
      return writerExit;
    };
    try {
      await waitFor(() => reports.length >= 20);
      const backupDir = join(root, "copy");
      mkdirSync(backupDir);
      const confirmedBefore = reports.length;
      const started = Date.now();
      const umask = process.umask(0o022);
      try {
        await backupSqlite(sqlitePath(storageDir), sqlitePath(backupDir));
      } finally {
        process.umask(umask);
      }
      const finished = Date.now();
      // The copy holds everything the database does: readable by its owner only.
      assert.equal(statSync(sqlitePath(backupDir)).mode & 0o777, 0o600);
      await waitFor(() => reports.some((report) => report.committedAt > finished));
      assert.equal(await stopWriter(), 0, "the writer exits cleanly");
      const total = 3000 + reports.length;

      const duringCopy = reports.filter(
        (report) => report.committedAt > started && report.committedAt < finished,
      );
      t.diagnostic(
        `the copy took ${finished - started} ms; the writer committed ${duringCopy.length} times meanwhile`,
      );
      assert.ok(duringCopy.length > 0, `the writer committed while the copy ran (${finished - started} ms)`);

      const check = new Database(sqlitePath(backupDir), { readonly: true, fileMustExist: true });
      try {
        assert.equal(check.pragma("integrity_check", { simple: true }), "ok");
      } finally {
        check.close();
      }
      assert.deepEqual(readdirSync(backupDir), ["parley.sqlite3"], "no partial file is left behind");

      const copy = await openStore({ storageDir: backupDir });
      try {
        const messages = await copy.listMessagesSince(0, 100_000);
        // A snapshot taken during the copy: every write confirmed before it began, not every later one.
        assert.ok(
          messages.length >= 3000 + confirmedBefore && messages.length < total,
          `copy has ${messages.length} messages; ${3000 + confirmedBefore} were committed before it began, ${total} at the end`,
        );
        // One committed state: ids without holes, and the counter updated in the same transactions.
        assert.deepEqual(
          messages.map((message) => message.id),
          messages.map((_, i) => i + 1),
        );
        const copied = await copy.getConversation(conversation.id);
        assert.equal(copied?.unreadCount, messages.length);
        assert.deepEqual(copied?.lastMessage, messages.at(-1));
      } finally {
        await copy.close();
      }
      assert.equal(
        (await store.listMessagesSince(0, 100_000)).length,
        total,
        "the live database kept every write",
      );
    } finally {
      await stopWriter();
      await store.close();
    }
  });

  it("refuses to overwrite an existing file", async () => {
    const storageDir = join(root, "source");
    const store = await openStore({ storageDir });
    await store.migrate();
    await store.close();
    const dest = join(root, "existing.sqlite3");
    writeFileSync(dest, "precious");
    await assert.rejects(backupSqlite(sqlitePath(storageDir), dest), /already exists; refusing to overwrite/);
    assert.equal(readFileSync(dest, "utf8"), "precious");
  });

  it("reports a missing source database", async () => {
    await assert.rejects(
      backupSqlite(join(root, "nowhere", "parley.sqlite3"), join(root, "out.sqlite3")),
      /does not exist/,
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the writer");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
