/** The checks on what clients say about a file, and on names, without a server. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { claimAgrees, servedFilename } from "../../src/files/fileTypes.js";
import { cleanFilename, contentDisposition } from "../../src/files/filenames.js";
import { isPlainText } from "../../src/files/sniff.js";

describe("claims against the bytes' type", () => {
  it("accepts a matching or absent claim and refuses another accepted type", () => {
    assert.equal(claimAgrees("image/jpeg", "image/jpg", "a.JPEG"), true);
    assert.equal(claimAgrees("image/png", "application/octet-stream", "a.png"), true);
    assert.equal(claimAgrees("image/png", undefined, "screenshot"), true);
    assert.equal(claimAgrees("text/plain", "text/csv; charset=utf-8", "data.csv"), true);
    assert.equal(claimAgrees("image/png", "image/jpeg", "a.png"), false);
    assert.equal(claimAgrees("image/png", "", "a.pdf"), false);
    assert.equal(claimAgrees("text/plain", "text/html", "a.txt"), false);
    assert.equal(claimAgrees("text/plain", "", "a.png"), false);
  });

  it("serves a file under an extension of its real type", () => {
    assert.equal(servedFilename("text/plain", "notes.txt"), "notes.txt");
    assert.equal(servedFilename("text/plain", "page.html"), "page.html.txt");
    assert.equal(servedFilename("application/pdf", "scan"), "scan.pdf");
    assert.equal(servedFilename("image/jpeg", "IMG_1.JPG"), "IMG_1.JPG");
  });
});

describe("plain text", () => {
  it("is UTF-8 without control characters or leading markup", () => {
    assert.equal(isPlainText(Buffer.from("héllo\tworld\r\n<3 thanks\n")), true);
    assert.equal(isPlainText(Buffer.from([0xff, 0xfe, 0x00])), false);
    assert.equal(isPlainText(Buffer.from("a\u0000b")), false);
    assert.equal(isPlainText(Buffer.from("\ufeff  <!DOCTYPE html><p>x")), false);
    assert.equal(isPlainText(Buffer.from("<svg onload=alert(1)>")), false);
    assert.equal(isPlainText(Buffer.from('<?xml version="1.0"?>')), false);
    assert.equal(isPlainText(Buffer.from("<SCRIPT>alert(1)</SCRIPT>")), false);
  });
});

describe("file names", () => {
  it("drops folders, control and reserved characters, and keeps a name", () => {
    assert.equal(cleanFilename("../../etc/passwd"), "passwd");
    assert.equal(cleanFilename("C:\\Users\\me\\report.pdf"), "report.pdf");
    assert.equal(cleanFilename('bad"\u0000\u202ename<>.txt'), "badname.txt");
    assert.equal(cleanFilename("...hidden"), "hidden");
    assert.equal(cleanFilename(""), "file");
    assert.equal([...cleanFilename("é".repeat(500))].length, 200);
  });

  it("puts names into Content-Disposition in both forms", () => {
    assert.equal(
      contentDisposition("attachment", "Résumé 100%.pdf"),
      `attachment; filename="R_sum_ 100_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20100%25.pdf`,
    );
  });
});
