/** What a page view is made into before it is kept (protocol §12): URLs, titles, languages, user agents. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_PAGE_TITLE_LENGTH, MAX_PAGE_URL_LENGTH } from "@parley/protocol";
import { ChatError } from "./errors.js";
import {
  pageTitle,
  pageUrl,
  parseUserAgent,
  preferredLanguage,
  referrer,
  timeZone,
} from "./visitorContext.js";

describe("visitor context", () => {
  it("drops the fragment, credentials and, unless kept, the query; reads utm_* first", () => {
    assert.deepEqual(
      pageUrl("https://user:pw@shop.example/a/b?utm_source=mail&utm_term=%20x%20&token=1#top", false),
      {
        url: "https://shop.example/a/b",
        utm: { utm_source: "mail", utm_term: "x" },
      },
    );
    assert.deepEqual(pageUrl("http://shop.example/a?x=1&y=2#frag", true), {
      url: "http://shop.example/a?x=1&y=2",
      utm: {},
    });
  });

  it("refuses what is not an http(s) URL", () => {
    for (const bad of ["javascript:alert(1)", "data:text/html,hi", "/relative", "", 42, null]) {
      assert.throws(() => pageUrl(bad, false), ChatError, String(bad));
    }
  });

  it("cuts URLs and titles to their lengths, and makes titles one plain line", () => {
    const long = pageUrl(`https://shop.example/${"a".repeat(3000)}`, false).url;
    assert.equal(long.length, MAX_PAGE_URL_LENGTH);
    assert.equal([...(pageTitle("x".repeat(500)) ?? "")].length, MAX_PAGE_TITLE_LENGTH);
    assert.equal(pageTitle("  Two\nlines\u202e here "), "Two lines here");
    assert.equal(pageTitle("   "), null);
    assert.equal(pageTitle(7), null);
  });

  it("keeps an http referrer like a page, and nothing else", () => {
    assert.equal(referrer("https://search.example/?q=secret", false), "https://search.example/");
    assert.equal(referrer("android-app://com.example", false), null);
    assert.equal(referrer("", false), null);
  });

  it("reads the first Accept-Language tag and known time zones only", () => {
    assert.equal(preferredLanguage("pt-br,pt;q=0.9,en;q=0.8"), "pt-BR");
    assert.equal(preferredLanguage("*"), null);
    assert.equal(preferredLanguage("not a tag!"), null);
    assert.equal(preferredLanguage(undefined), null);
    assert.equal(timeZone("Europe/Berlin"), "Europe/Berlin");
    assert.equal(timeZone("Mars/Olympus"), null);
  });

  it("parses user agents into browser, OS and device, and says nothing of gibberish", () => {
    const chromeOnWindows =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
    assert.deepEqual(parseUserAgent(chromeOnWindows), {
      userAgent: chromeOnWindows,
      browser: "Chrome 126",
      os: "Windows 10",
      device: "desktop",
    });
    const ipad =
      "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1";
    assert.equal(parseUserAgent(ipad).device, "tablet");
    assert.deepEqual(parseUserAgent("zzz"), { userAgent: "zzz", browser: null, os: null, device: null });
    assert.deepEqual(parseUserAgent(undefined), { userAgent: null, browser: null, os: null, device: null });
    assert.equal(parseUserAgent("a".repeat(5000)).userAgent?.length, 512);
  });
});
