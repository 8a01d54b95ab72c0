/** The checks an upload passes, on real files: a refused image says why, for the log. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import sharp from "sharp";
import { truncatedPng } from "../testing/images.js";
import { inspectUpload } from "./inspectUpload.js";

describe("inspecting an upload", () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-inspect-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;
  const candidate = (bytes: Buffer, filename: string) => {
    const path = join(dir, `upload-${++files}`);
    writeFileSync(path, bytes);
    return { path, byteSize: bytes.length, filename, claimedType: undefined };
  };

  it("re-encodes an image that decodes", async () => {
    const png = await sharp({ create: { width: 4, height: 3, channels: 3, background: "#c00" } })
      .png()
      .toBuffer();
    const inspection = await inspectUpload(candidate(png, "dot.png"));
    assert.ok(inspection.ok);
    assert.equal(inspection.file.contentType, "image/png");
    assert.deepEqual([inspection.file.width, inspection.file.height], [4, 3]);
  });

  it("refuses an image that does not decode as unreadable, with sharp's error as the cause", async () => {
    const inspection = await inspectUpload(candidate(await truncatedPng(), "cut.png"));
    assert.equal(inspection.ok, false);
    assert.ok(!inspection.ok && inspection.refusal === "unreadable");
    assert.ok(inspection.cause instanceof Error, "the cause is kept");
    assert.match(inspection.cause.message, /png|read|decod|truncat|premature|end/i);
  });

  it("gives no cause for a refusal that needs none", async () => {
    const inspection = await inspectUpload(candidate(Buffer.from("<!DOCTYPE html><p>hi"), "page.png"));
    assert.deepEqual(inspection, { ok: false, refusal: "not_allowed" });
  });
});
