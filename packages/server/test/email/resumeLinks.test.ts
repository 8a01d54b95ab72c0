/**
 * Reopen links (protocol §16), without a server: a link names its conversation until it expires,
 * one changed character or another purpose's key makes it invalid, and the page it leads to is
 * the visitor's last one, else the site's first origin, else the server's demo page.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RESUME_LINK_DAYS } from "@parley/protocol";
import { pageWithLink, resumePage, ResumeLinks } from "../../src/email/resumeLinks.js";
import { SignedTokens } from "../../src/email/signedTokens.js";

const SECRET = "a test secret key base that is long enough";
const DAY_MS = 24 * 60 * 60 * 1000;

describe("reopen links", () => {
  it("name their conversation until RESUME_LINK_DAYS have passed", () => {
    const signedAt = Date.parse("2026-01-01T00:00:00Z");
    let now = signedAt;
    const links = new ResumeLinks(new SignedTokens(SECRET, () => now), () => new Date(signedAt));
    const link = links.sign(42);
    assert.deepEqual(links.check(link), { kind: "valid", conversationId: 42 });
    now = signedAt + RESUME_LINK_DAYS * DAY_MS - 60_000;
    assert.deepEqual(links.check(link), { kind: "valid", conversationId: 42 });
    now = signedAt + RESUME_LINK_DAYS * DAY_MS + 60_000;
    assert.deepEqual(links.check(link), { kind: "invalid" });
  });

  it("refuse a link with one character changed, another server's, another purpose's and junk", () => {
    const tokens = new SignedTokens(SECRET);
    const links = new ResumeLinks(tokens);
    const link = links.sign(7);
    for (let index = 0; index < link.length; index += 5) {
      const changed = link.slice(0, index) + (link[index] === "A" ? "B" : "A") + link.slice(index + 1);
      assert.deepEqual(links.check(changed), { kind: "invalid" }, `changed at ${index}`);
    }
    assert.deepEqual(new ResumeLinks(new SignedTokens(`${SECRET}!`)).check(link), { kind: "invalid" });
    const unsubscribe = tokens.sign("unsubscribe", { c: 7 }, new Date(Date.now() + DAY_MS));
    assert.deepEqual(links.check(unsubscribe), { kind: "invalid" });
    const notAConversation = tokens.sign("resume", { c: "7" }, new Date(Date.now() + DAY_MS));
    assert.deepEqual(links.check(notAConversation), { kind: "invalid" });
    for (const junk of ["", ".", "abc", 42, null, "x".repeat(5000)])
      assert.deepEqual(links.check(junk), { kind: "invalid" });
  });

  it("go to the last page, else the site's first origin, else the demo page, with #parley=", () => {
    const publicUrl = "https://chat.example.com/base";
    assert.equal(
      resumePage({
        lastPage: "https://shop.example/cart?x=1",
        siteOrigins: ["https://shop.example"],
        publicUrl,
      }),
      "https://shop.example/cart?x=1",
    );
    assert.equal(
      resumePage({
        lastPage: undefined,
        siteOrigins: ["https://shop.example", "https://b.example"],
        publicUrl,
      }),
      "https://shop.example",
    );
    assert.equal(
      resumePage({ lastPage: "javascript:alert(1)", siteOrigins: [], publicUrl }),
      "https://chat.example.com/",
    );
    assert.equal(
      pageWithLink("https://shop.example/cart?x=1#reviews", "abc.def_-"),
      "https://shop.example/cart?x=1#parley=abc.def_-",
    );
    assert.equal(pageWithLink("https://shop.example", "abc.def"), "https://shop.example/#parley=abc.def");
  });
});
