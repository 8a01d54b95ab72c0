/**
 * The reply mailbox failing never takes Parley down: a refused login or a server that is not
 * there is logged and shown in the owner's email status (`last_fetch_error`), the server goes on
 * serving, and the next poll tries again; once the mailbox answers, the error clears.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { dovecotMissing, startDovecot, type Dovecot } from "../support/dovecot.js";
import { freePort } from "../support/processes.js";
import { login, startTestServer } from "../support/testServer.js";
import { FETCH_REPLIES } from "../../src/email/inbound.js";
import { ImapParley } from "./imapHarness.js";

interface Status {
  receiving: boolean;
  last_fetch_at: string | null;
  last_fetch_error: string | null;
}

async function status(parley: ImapParley): Promise<Status> {
  const response = await fetch(`${parley.server.url}/settings/email`, {
    headers: { cookie: await login(parley.server.url) },
  });
  assert.equal(response.status, 200);
  return (await response.json()) as Status;
}

async function statusUntil(parley: ImapParley, check: (status: Status) => boolean): Promise<Status> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const current = await status(parley);
    if (check(current)) return current;
    if (Date.now() > deadline) throw new Error(`status never came: ${JSON.stringify(current)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("a reply mailbox that fails", { skip: dovecotMissing() }, () => {
  let dovecot: Dovecot;

  before(async () => {
    dovecot = await startDovecot();
  });

  after(async () => {
    await dovecot?.stop();
  });

  it("records a refused login, keeps serving, and clears the error once the login works", async () => {
    const wrongPassword = dovecot.url.replace(`:${dovecot.password}@`, ":not-the-password@");
    const parley = await ImapParley.start(dovecot, { IMAP_URL: wrongPassword });
    try {
      const failed = await statusUntil(parley, (s) => s.last_fetch_error !== null);
      assert.equal(failed.receiving, true);
      assert.ok(failed.last_fetch_at !== null);
      assert.match(failed.last_fetch_error ?? "", /auth/i);
      // What the owner reads names the failure, never the password.
      assert.doesNotMatch(failed.last_fetch_error ?? "", /not-the-password/);
      // Still polling: the error is recorded again at a later fetch.
      await statusUntil(parley, (s) => s.last_fetch_at !== failed.last_fetch_at);
      const up = await fetch(`${parley.server.url}/up`);
      assert.equal(up.status, 200);
    } finally {
      await parley.dispose();
    }
    // A server on the same storage would share the row; a fresh one with the right password
    // shows no error once it has fetched.
    const working = await ImapParley.start(dovecot);
    try {
      const ok = await statusUntil(working, (s) => s.last_fetch_at !== null);
      assert.equal(ok.last_fetch_error, null);
    } finally {
      await working.dispose();
    }
  });

  it("records a mailbox server that is not there", async () => {
    const port = await freePort();
    const nowhere = `imap://replies:secret@127.0.0.1:${port}/INBOX`;
    const parley = await ImapParley.start(dovecot, { IMAP_URL: nowhere });
    try {
      const failed = await statusUntil(parley, (s) => s.last_fetch_error !== null);
      assert.match(failed.last_fetch_error ?? "", /ECONNREFUSED|connect/i);
    } finally {
      await parley.dispose();
    }
  });

  it("ends the polling job on a node where IMAP_URL is no longer set", async () => {
    const storage = mkdtempSync(join(tmpdir(), "parley-test-"));
    try {
      const reading = await ImapParley.start(dovecot, { STORAGE_DIR: storage });
      const jobs = async () =>
        (await reading.server.store.listJobs()).filter((job) => job.kind === FETCH_REPLIES).length;
      assert.equal(await jobs(), 1);
      await reading.dispose();
      const notReading = await startTestServer({}, storage);
      try {
        const deadline = Date.now() + 15_000;
        const left = async () =>
          (await notReading.store.listJobs()).filter((job) => job.kind === FETCH_REPLIES).length;
        while ((await left()) > 0) {
          if (Date.now() > deadline) throw new Error("the polling job was never ended");
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        await notReading.close();
      }
    } finally {
      rmSync(storage, { recursive: true, force: true });
    }
  });
});
