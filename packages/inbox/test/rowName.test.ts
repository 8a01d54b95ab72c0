import assert from "node:assert/strict";
import { test } from "node:test";
import { en } from "../src/i18n/en.js";
import { ja } from "../src/i18n/ja.js";
import { gist, rowName, rowPreview } from "../src/state/rowName.js";

test("a row's name: visitor, unread count, time, the start of the last message", () => {
  assert.equal(
    rowName({ visitor: "Vera", unread: 2, time: "5 min", preview: "Where is my lamp?" }),
    "Vera, 2 unread, 5 min, Where is my lamp?",
  );
  assert.equal(
    rowName({ visitor: "Vera", unread: 0, time: "now", preview: "You: On its way" }),
    "Vera, now, You: On its way",
  );
  assert.equal(rowName({ visitor: "Visitor #4", unread: 0, time: "", preview: "" }), "Visitor #4");
});

test("a gist is the message's start on one line, cut at a word", () => {
  assert.equal(gist("short\n\n  text"), "short text");
  const long = "Hello, my parcel has not come and the tracking page says nothing at all about it";
  assert.equal(gist(long), "Hello, my parcel has not come and the tracking page says…");
  assert.ok(gist(long).length <= 61);
  // No word boundary near: cut mid-word.
  assert.equal(gist("x".repeat(200)), `${"x".repeat(60)}…`);
});

test("a row's preview: the author, then the text, marked when it came by email (§16)", () => {
  assert.equal(
    rowPreview({ author: "", text: "Thanks!", viaEmail: true }, en.byEmailPreview),
    "(by email) Thanks!",
  );
  assert.equal(rowPreview({ author: "", text: "Thanks!", viaEmail: false }, en.byEmailPreview), "Thanks!");
  assert.equal(
    rowPreview({ author: "You", text: "On its way", viaEmail: false }, en.byEmailPreview),
    "You: On its way",
  );
  assert.equal(
    rowPreview({ author: "", text: "ありがとう", viaEmail: true }, ja.byEmailPreview),
    "（メール経由）ありがとう",
  );
});
