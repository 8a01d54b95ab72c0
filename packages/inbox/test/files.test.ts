import assert from "node:assert/strict";
import { test } from "node:test";
import type { Attachment } from "@parley/protocol";
import { fileTypeName, formatBytes } from "../src/state/files.js";
import {
  addPending,
  EMPTY_THREAD,
  removePending,
  updatePending,
  type PendingMessage,
} from "../src/state/thread.js";

test("sizes read as people say them", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(585), "585 B");
  assert.equal(formatBytes(1536), "1.5 KB");
  assert.equal(formatBytes(12 * 1024 + 300), "12 KB");
  assert.equal(formatBytes(10 * 1024 * 1024), "10 MB");
  assert.equal(formatBytes(3.25 * 1024 ** 3), "3.3 GB");
});

test("types read as words; unknown ones as they are", () => {
  assert.equal(fileTypeName("application/pdf"), "PDF document");
  assert.equal(fileTypeName("text/plain; charset=utf-8"), "Text file");
  assert.equal(fileTypeName("image/webp"), "WebP image");
  assert.equal(fileTypeName("application/zip"), "application/zip");
  assert.equal(fileTypeName(""), "File");
});

test("a pending message of files gains its uploads, and can be dropped", () => {
  const uploading: PendingMessage = {
    client_id: "a-1",
    content: "",
    created_at: "",
    state: "uploading",
    error: null,
    files: [{ name: "a.pdf", type: "application/pdf", size: 10 }],
    attachments: [],
    progress: 0,
  };
  const uploaded: Attachment = {
    id: 4,
    filename: "a.pdf",
    content_type: "application/pdf",
    byte_size: 10,
    url: "/uploads/4/file",
  };
  let thread = addPending(EMPTY_THREAD, uploading);
  thread = updatePending(thread, "a-1", (p) => ({
    ...p,
    files: [],
    attachments: [uploaded],
    state: "sending",
  }));
  assert.deepEqual(thread.pending[0]?.attachments, [uploaded]);
  assert.equal(thread.pending[0]?.state, "sending");
  assert.equal(
    updatePending(thread, "nope", (p) => ({ ...p, content: "x" })),
    thread,
  );
  assert.deepEqual(removePending(thread, "a-1").pending, []);
});
