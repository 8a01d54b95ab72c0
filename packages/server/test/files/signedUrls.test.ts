/** Signed file links: what a valid one looks like, and every way one stops working. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SignedUrls } from "../../src/files/signedUrls.js";

const SECRET = "s".repeat(64);
const HOUR = 60 * 60 * 1000;

function parts(path: string) {
  const url = new URL(path, "http://parley.test");
  return {
    expires: url.searchParams.get("expires") ?? undefined,
    signature: url.searchParams.get("signature") ?? undefined,
  };
}

describe("SignedUrls", () => {
  it("signs id, variant and an expiry 12-13 hours out, rounded to the hour", () => {
    const now = Date.UTC(2025, 0, 1, 9, 30);
    const urls = new SignedUrls(SECRET, () => now);
    const path = urls.path(42, "thumbnail");
    assert.match(path, /^\/uploads\/42\/thumbnail\?expires=\d+&signature=[\w-]{43}$/);
    const { expires, signature } = parts(path);
    assert.equal(Number(expires) * 1000, Date.UTC(2025, 0, 1, 22));
    assert.equal(urls.verify(42, "thumbnail", expires, signature), "valid");
    assert.equal(
      new SignedUrls(SECRET, () => now + 20 * 60 * 1000).path(42, "thumbnail"),
      path,
      "one URL per hour",
    );
  });

  it("refuses another id, variant, expiry, secret or a missing part, and expires", () => {
    const now = Date.now();
    const { expires, signature } = parts(new SignedUrls(SECRET, () => now).path(7, "file"));
    const urls = new SignedUrls(SECRET, () => now);
    assert.equal(urls.verify(8, "file", expires, signature), "invalid");
    assert.equal(urls.verify(7, "thumbnail", expires, signature), "invalid");
    assert.equal(urls.verify(7, "file", String(Number(expires) + 1), signature), "invalid");
    assert.equal(urls.verify(7, "file", expires, undefined), "invalid");
    assert.equal(urls.verify(7, "file", "1e9", signature), "invalid");
    assert.equal(new SignedUrls("t".repeat(64), () => now).verify(7, "file", expires, signature), "invalid");
    assert.equal(
      new SignedUrls(SECRET, () => now + 14 * HOUR).verify(7, "file", expires, signature),
      "expired",
    );
  });
});
