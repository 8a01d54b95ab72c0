/**
 * An upload refused for what is inside it: the uploader reads the usual text, the log says what
 * went wrong. On a real SQLite store and disk blobs, without a server.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { MemoryBroker } from "../broker/memoryBroker.js";
import { DiskBlobStore } from "../files/diskBlobStore.js";
import { inspectUpload } from "../files/inspectUpload.js";
import { openStore } from "../store/openStore.js";
import type { Store } from "../store/store.js";
import { truncatedPng } from "../testing/images.js";
import { captureLogs } from "../testing/logs.js";
import { Chat } from "./chat.js";
import { ChatError } from "./errors.js";

describe("a refused upload", () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-attachments-"));
  const logs = captureLogs();
  let store: Store;
  let chat: Chat;

  before(async () => {
    store = await openStore({ storageDir: dir });
    await store.migrate();
    chat = new Chat({
      store,
      broker: new MemoryBroker(logs.logger),
      logger: logs.logger,
      rateLimitPerMinute: 30,
      newConversationsPerIpPerHour: 0,
      uploadsPerIpPerHour: 0,
      uploadBytesPerIp: 0,
      files: {
        blobs: new DiskBlobStore(join(dir, "uploads")),
        inspect: inspectUpload,
        link: (id) => `/files/${id}`,
      },
    });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("logs why an image could not be read, and tells the uploader only that", async () => {
    const cut = await truncatedPng();
    const path = join(dir, "cut.png");
    writeFileSync(path, cut);
    const uploader = { kind: "visitor" as const, token: "visitor-token-0123456789", address: "192.0.2.5" };
    await assert.rejects(
      chat.attachments.upload(uploader, {
        path,
        byteSize: cut.length,
        filename: "cut.png",
        claimedType: "image/png",
      }),
      (error) => error instanceof ChatError && error.message === "The image could not be read",
    );
    const [line] = logs.withMessage("upload refused");
    assert.equal(line?.refusal, "unreadable");
    assert.equal(line?.byteSize, cut.length);
    assert.match(String((line?.err as { message?: string }).message), /png/i, "sharp's own words");
    assert.ok(!JSON.stringify(logs.lines()).includes(uploader.token));
  });
});
