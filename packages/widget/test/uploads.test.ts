import assert from "node:assert/strict";
import { test } from "node:test";
import type { Attachment } from "@parley/protocol";
import { Conversation } from "../src/conversation.js";
import { LOCALES } from "../src/i18n.js";
import { failureOf } from "../src/uploads/post.js";
import { say, TEXTS } from "../src/uploads/texts.js";

const photo: Attachment = {
  id: 3,
  filename: "photo.png",
  content_type: "image/png",
  byte_size: 2048,
  url: "/uploads/3/file?expires=1&signature=s",
  thumbnail_url: "/uploads/3/thumbnail?expires=1&signature=s",
  width: 640,
  height: 480,
};

test("a refused upload is told by why: too large (with the server's limit), not allowed, empty, too fast", () => {
  assert.deepEqual(failureOf(413, "File too large (max 25 MB)", 30e6), { kind: "too_large", maxMb: 25 });
  assert.deepEqual(failureOf(413, undefined, 30e6), { kind: "too_large", maxMb: 10 });
  assert.deepEqual(failureOf(415, "This type of file is not allowed", 10), { kind: "not_allowed" });
  assert.deepEqual(failureOf(400, "", 0), { kind: "empty" });
  assert.deepEqual(failureOf(429, "", 10), { kind: "too_fast" });
  assert.deepEqual(failureOf(500, "", 10), { kind: "failed" });
  // A huge body cut off by the server's early 413 looks like a network error to the browser.
  assert.deepEqual(failureOf(0, undefined, 50e6), { kind: "too_large", maxMb: 10 });
  assert.deepEqual(failureOf(0, undefined, 10), { kind: "failed" });
});

test("every locale has every upload text, and names are filled in as given", () => {
  const keys = Object.keys(TEXTS.en).sort();
  for (const locale of LOCALES) assert.deepEqual(Object.keys(TEXTS[locale]).sort(), keys, locale);
  assert.equal(
    say(TEXTS.en.tooLarge, "<b>x</b>.png", 10),
    "“<b>x</b>.png” is too large to send (max 10 MB).",
  );
});

test("a message of files keeps them from the pending send to the stored echo", () => {
  const conversation = new Conversation();
  const pending = conversation.addPending("", "c1", new Date(), [photo]);
  assert.deepEqual(pending.attachments, [photo]);
  const fresh = { ...photo, url: "/uploads/3/file?expires=2&signature=t" };
  const { held } = conversation.receive({
    id: 9,
    sender: "visitor",
    content: "",
    created_at: new Date().toISOString(),
    client_id: "c1",
    attachments: [fresh],
  });
  assert.equal(held?.key, pending.key);
  assert.deepEqual(held?.attachments, [fresh]);
});
