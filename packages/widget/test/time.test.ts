import assert from "node:assert/strict";
import { test } from "node:test";
import { WORDS as STRINGS } from "../src/expect/texts.js";
import { relativeTime } from "../src/time.js";

const now = Date.parse("2025-03-10T12:00:00Z");
const ago = (ms: number): string => new Date(now - ms).toISOString();

test("relative times in English", () => {
  const say = (ms: number): string => relativeTime(ago(ms), now, STRINGS.en, "en");
  assert.equal(say(0), "now");
  assert.equal(say(59_000), "now");
  assert.equal(say(-30_000), "now", "a server clock slightly ahead still reads now");
  assert.equal(say(5 * 60_000), "5 min");
  assert.equal(say(59 * 60_000 + 59_000), "59 min");
  assert.equal(say(3 * 3600_000), "3 h");
  assert.match(say(3 * 86_400_000), /Mar\s7/);
});

test("relative times in French and Japanese", () => {
  assert.equal(relativeTime(ago(5 * 60_000), now, STRINGS.fr, "fr"), "5\u00a0min");
  assert.equal(relativeTime(ago(2 * 3600_000), now, STRINGS.ja, "ja"), "2時間前");
  assert.equal(relativeTime(ago(1000), now, STRINGS.ja, "ja"), "たった今");
});

test("an unreadable date gives no label", () => {
  assert.equal(relativeTime("not a date", now, STRINGS.en, "en"), "");
});
