/**
 * STORAGE_DIR is the server's own: after a boot (and an upload, and some messages) every folder
 * in it is 0700 and the database, its WAL files, the secrets and the uploaded files are 0600,
 * whatever the umask, and a folder left by an older version is tightened.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { upload } from "../files/harness.js";
import { TEXT } from "../files/fixtures.js";
import { openRawCable } from "../support/rawCable.js";
import { startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

const mode = (path: string) => statSync(path).mode & 0o777;
const octal = (value: number) => `0${value.toString(8)}`;

/** Every entry below `root`, folders and files apart. */
function walk(root: string): { dirs: string[]; files: string[] } {
  const found = { dirs: [] as string[], files: [] as string[] };
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) found.dirs.push(path);
    else found.files.push(path);
  }
  return found;
}

async function useTheServer(server: TestServer): Promise<void> {
  const token = visitorToken();
  const response = await upload(server, TEXT, { token, filename: "notes.txt" });
  assert.equal(response.status, 201, await response.text());
  const visitor = await openRawCable(server.url);
  const id = visitor.subscribe({ channel: "VisitorChannel", token });
  visitor.perform(id, { action: "send_message", content: "hello" });
  await visitor.next((f) => (f.message as { type?: string } | undefined)?.type === "message");
  visitor.close();
}

function assertPrivate(storageDir: string): void {
  assert.equal(octal(mode(storageDir)), "0700", storageDir);
  const { dirs, files } = walk(storageDir);
  for (const expected of ["uploads", "tmp", join("tmp", "uploads")]) {
    assert.ok(dirs.includes(join(storageDir, expected)), `${expected} exists`);
  }
  for (const expected of [
    "parley.sqlite3",
    "parley.sqlite3-wal",
    "parley.sqlite3-shm",
    "secret_key_base",
    "vapid_keys",
  ]) {
    assert.ok(files.includes(join(storageDir, expected)), `${expected} exists`);
  }
  assert.ok(
    files.some((path) => path.startsWith(join(storageDir, "uploads"))),
    "an uploaded file exists",
  );
  for (const dir of dirs) assert.equal(octal(mode(dir)), "0700", dir);
  for (const file of files) assert.equal(octal(mode(file)), "0600", file);
}

describe("STORAGE_DIR permissions", () => {
  const root = mkdtempSync(join(tmpdir(), "parley-modes-"));
  let umask: number;
  before(() => {
    // The usual default, under which files come out 0644 and folders 0755 unless made otherwise.
    umask = process.umask(0o022);
  });
  after(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it("are owner-only on a first boot", async () => {
    const storageDir = join(root, "fresh", "storage");
    const server = await startTestServer({}, storageDir);
    try {
      await useTheServer(server);
      assertPrivate(storageDir);
    } finally {
      await server.close();
    }
  });

  it("are tightened on a storage folder an older version left open", async () => {
    const storageDir = join(root, "older", "storage");
    const first = await startTestServer({}, storageDir);
    await useTheServer(first);
    await first.close();
    // What older versions left open: every folder, and the database (secrets and uploaded files
    // were always written 0600).
    const { dirs, files } = walk(storageDir);
    for (const dir of [storageDir, ...dirs]) chmodSync(dir, 0o755);
    for (const file of files.filter((path) => path.includes("parley.sqlite3"))) chmodSync(file, 0o644);
    writeFileSync(join(storageDir, "parley.sqlite3-shm"), "", { flag: "a" });
    chmodSync(join(storageDir, "parley.sqlite3-shm"), 0o644);

    const second = await startTestServer({}, storageDir);
    try {
      await useTheServer(second);
      assertPrivate(storageDir);
    } finally {
      await second.close();
    }
  });
});
