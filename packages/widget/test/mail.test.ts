import { MAX_EMAIL_LENGTH } from "@parley/protocol";
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatMessage } from "../src/conversation.js";
import { LOCALES } from "../src/i18n.js";
import { problemOf } from "../src/mail/entries.js";
import { linkIn, withoutLink } from "../src/mail/resume.js";
import { TEXTS } from "../src/mail/texts.js";
import { askDelay } from "../src/mail/when.js";
import { isEmail } from "../src/prechat/check.js";

const T0 = Date.parse("2026-03-02T10:00:00.000Z");
let counter = 0;
function message(
  sender: "visitor" | "admin",
  atSeconds: number,
  delivery: ChatMessage["delivery"] = "sent",
): ChatMessage {
  counter += 1;
  return {
    key: `m${counter}`,
    id: counter,
    sender,
    content: "hi",
    createdAt: new Date(T0 + atSeconds * 1000).toISOString(),
    delivery,
    order: counter,
  };
}

test("no ask before the visitor's first message is stored", () => {
  assert.equal(askDelay([], true, 60, T0), undefined);
  assert.equal(askDelay([message("visitor", 0, "pending")], true, 60, T0), undefined);
  assert.equal(askDelay([message("visitor", 0, "failed")], false, 0, T0), undefined);
});

test("while the team is away the ask comes at once after a first message", () => {
  assert.equal(askDelay([message("visitor", 0)], true, null, T0 + 1000), 0);
  assert.equal(askDelay([message("visitor", 0)], true, 600, T0 + 1000), 0);
});

test("with the team there, the ask waits ask_email_after_seconds from the first unanswered message", () => {
  const messages = [message("visitor", 0), message("visitor", 30)];
  assert.equal(askDelay(messages, false, 180, T0 + 60_000), 120_000);
  assert.equal(askDelay(messages, false, 180, T0 + 180_000), 0);
  // Long past: at once, never a negative wait.
  assert.equal(askDelay(messages, false, 180, T0 + 900_000), 0);
  // null: only when away.
  assert.equal(askDelay(messages, false, null, T0 + 900_000), undefined);
});

test("an agent's reply cancels the ask; a later unanswered message counts from itself", () => {
  const answered = [message("visitor", 0), message("admin", 20)];
  assert.equal(askDelay(answered, false, 60, T0 + 120_000), undefined);
  assert.equal(askDelay(answered, true, 60, T0 + 120_000), undefined);
  const again = [...answered, message("visitor", 100), message("visitor", 110)];
  assert.equal(askDelay(again, false, 60, T0 + 130_000), 30_000);
});

test("addresses are checked as the server checks them (§12)", () => {
  assert.ok(isEmail("ada@example.com"));
  for (const bad of ["ada", "ada@example", "a b@example.com", "a@b@example.com", "@example.com"]) {
    assert.ok(!isEmail(bad), bad);
  }
  const long = `${"a".repeat(MAX_EMAIL_LENGTH - "@example.com".length + 1)}@example.com`;
  assert.equal(long.length, MAX_EMAIL_LENGTH + 1);
  assert.ok(!isEmail(long));
  assert.ok(isEmail(long.slice(1)));
});

test("the link is read from #parley=…, alone or among other parts, and taken out", () => {
  assert.equal(linkIn("#parley=abc.DEF-_1"), "abc.DEF-_1");
  assert.equal(linkIn("#top&parley=a%2Eb"), "a.b");
  assert.equal(linkIn("#parley="), undefined);
  assert.equal(linkIn("#parley=%E0%A4%A"), undefined);
  assert.equal(linkIn("#parleyx=abc"), undefined);
  assert.equal(linkIn(""), undefined);
  assert.equal(withoutLink("#parley=abc"), "");
  assert.equal(withoutLink("#top&parley=abc"), "#top");
  assert.equal(withoutLink("#parley=abc&tab=2"), "#tab=2");
  assert.equal(withoutLink("#top"), "#top");
});

test("a refused request says why in words: email off, too many transcripts, or try again", () => {
  assert.equal(problemOf(409), "off");
  assert.equal(problemOf(429), "tooMany");
  assert.equal(problemOf(0), "failed");
  assert.equal(problemOf(500), "failed");
});

test("every locale has every mail text, and the confirmations name the address", () => {
  const keys = Object.keys(TEXTS.en).sort();
  for (const locale of LOCALES) {
    assert.deepEqual(Object.keys(TEXTS[locale]).sort(), keys, locale);
    for (const key of keys) assert.ok(TEXTS[locale][key as keyof typeof TEXTS.en], `${locale}.${key}`);
    assert.match(TEXTS[locale].saved, /\{email\}/);
    assert.match(TEXTS[locale].transcriptSent, /\{email\}/);
  }
});
