import assert from "node:assert/strict";
import { test } from "node:test";
import { safeHref, splitLinks } from "./links.js";

test("plain text stays one text segment, markup included", () => {
  assert.deepEqual(splitLinks("<img src=x onerror=alert(1)>"), [{ text: "<img src=x onerror=alert(1)>" }]);
  assert.deepEqual(splitLinks(""), []);
});

test("http and https URLs become links; sentence punctuation stays outside", () => {
  assert.deepEqual(splitLinks("See https://example.com/a?b=1. Thanks"), [
    { text: "See " },
    { text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
    { text: ". Thanks" },
  ]);
  assert.deepEqual(splitLinks("(http://x.test/page)"), [
    { text: "(" },
    { text: "http://x.test/page", href: "http://x.test/page" },
    { text: ")" },
  ]);
  assert.deepEqual(splitLinks("https://en.wikipedia.org/wiki/Foo_(bar) ok")[0], {
    text: "https://en.wikipedia.org/wiki/Foo_(bar)",
    href: "https://en.wikipedia.org/wiki/Foo_(bar)",
  });
});

test("other schemes never become links", () => {
  for (const text of ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://x.test", "vbscript:x"]) {
    assert.ok(
      splitLinks(text).every((segment) => !("href" in segment)),
      text,
    );
  }
  assert.equal(safeHref("javascript:alert(1)"), null);
  assert.equal(safeHref("https://"), null);
  assert.equal(safeHref("HTTPS://Example.com"), "https://example.com/");
});

test("a URL with quotes or angle brackets stops before them", () => {
  const segments = splitLinks('https://a.test/"onmouseover="x');
  assert.deepEqual(segments[0], { text: "https://a.test/", href: "https://a.test/" });
});
