import assert from "node:assert/strict";
import { test } from "node:test";
import { expect } from "../src/expect/expect.js";
import { WORDS } from "../src/expect/texts.js";
import { LOCALES, STRINGS } from "../src/i18n.js";
import { initial, replyLine, teamNames } from "../src/team.js";

const MINUTE = 60;
const HOUR = 60 * MINUTE;

test("the reply time in four buckets, in English", () => {
  const en = STRINGS.en;
  assert.equal(replyLine(0, en), "Typically replies in a few minutes");
  assert.equal(replyLine(5 * MINUTE, en), "Typically replies in a few minutes");
  assert.equal(replyLine(5 * MINUTE + 1, en), "Typically replies in under an hour");
  assert.equal(replyLine(HOUR, en), "Typically replies in under an hour");
  assert.equal(replyLine(HOUR + 1, en), "Typically replies in a few hours");
  assert.equal(replyLine(6 * HOUR, en), "Typically replies in a few hours");
  assert.equal(replyLine(6 * HOUR + 1, en), "Typically replies in a day");
  assert.equal(replyLine(9 * 24 * HOUR, en), "Typically replies in a day");
});

test("no figure yet (null), no promise", () => {
  for (const locale of LOCALES) {
    assert.equal(replyLine(null, STRINGS[locale]), "");
    assert.equal(replyLine(undefined, STRINGS[locale]), "");
  }
});

test("the reply time in French and Japanese, with no English in them", () => {
  const say = (locale: "fr" | "ja") =>
    [2 * MINUTE, 30 * MINUTE, 3 * HOUR, 20 * HOUR].map((seconds) => replyLine(seconds, STRINGS[locale]));
  assert.deepEqual(say("fr"), [
    "Réponse généralement en quelques minutes",
    "Réponse généralement en moins d'une heure",
    "Réponse généralement en quelques heures",
    "Réponse généralement en une journée",
  ]);
  assert.deepEqual(say("ja"), [
    "通常数分以内に返信します",
    "通常1時間以内に返信します",
    "通常数時間以内に返信します",
    "通常1日以内に返信します",
  ]);
  for (const line of [...say("fr"), ...say("ja")]) assert.doesNotMatch(line, /replies|few|hour|day/i);
});

test("every locale has four reply times", () => {
  for (const locale of LOCALES) {
    const within = STRINGS[locale].within.split("|");
    assert.equal(within.length, 4, locale);
    assert.ok(within.every(Boolean), locale);
  }
});

test("names: one, two, three, then two and the others, in each language", () => {
  const names = (count: number, locale: "en" | "fr" | "ja") =>
    teamNames(["Anna", "Ben", "Chloé", "Dai", "Eva"].slice(0, count), STRINGS[locale], locale);
  assert.equal(names(0, "en"), "");
  assert.equal(names(1, "en"), "Anna");
  assert.equal(names(2, "en"), "Anna and Ben");
  assert.match(names(3, "en"), /^Anna, Ben,? and Chloé$/);
  assert.match(names(4, "en"), /^Anna, Ben,? and 2 others$/);
  assert.match(names(5, "en"), /^Anna, Ben,? and 3 others$/);
  assert.equal(names(2, "fr"), "Anna et Ben");
  assert.equal(names(5, "fr"), "Anna, Ben et 3 autres");
  assert.equal(names(2, "ja"), "Anna、Ben");
  assert.equal(names(5, "ja"), "Anna、Ben、他3名");
});

test("an initial is the name's first letter, capitalised, whatever the script", () => {
  assert.equal(initial("anna"), "A");
  assert.equal(initial("  élodie "), "É");
  assert.equal(initial("山田"), "山");
  // One code point, not half of a surrogate pair.
  assert.equal(initial("𝒜lex"), "𝒜");
  assert.equal(initial(""), "?");
  assert.equal(initial("   "), "?");
});

test("the acknowledgement: thanks, then what to expect, each a sentence", () => {
  assert.equal(
    expect.ack("en", ["Typically replies in a few minutes"]),
    "Thanks, we got your message. Typically replies in a few minutes.",
  );
  assert.equal(expect.ack("en", [""]), "Thanks, we got your message.");
  assert.equal(
    expect.ack("en", ["We're away. Leave a message and we'll reply here.", "Back Monday at 9:00"]),
    "Thanks, we got your message. We're away. Leave a message and we'll reply here. Back Monday at 9:00.",
  );
  assert.equal(
    expect.ack("fr", [replyLine(120, STRINGS.fr)]),
    "Merci, nous avons bien reçu votre message. Réponse généralement en quelques minutes.",
  );
  assert.equal(
    expect.ack("ja", [replyLine(120, STRINGS.ja)]),
    "メッセージを受け付けました。ありがとうございます。通常数分以内に返信します。",
  );
  for (const locale of LOCALES) assert.ok(WORDS[locale].thanks, locale);
});

test("the back line comes from the chunk in the visitor's language", () => {
  const monday = "2025-03-10T08:00:00Z";
  const friday = Date.parse("2025-03-07T17:30:00Z");
  assert.equal(expect.back(monday, "Europe/Berlin", friday, "en").split(" (")[0], "Back Monday at 9:00");
  assert.match(expect.back(monday, "Europe/Berlin", friday, "fr"), /^De retour lundi à 9:00/);
  assert.match(expect.back(monday, "Europe/Berlin", friday, "ja"), /^月曜日 9:00から対応します/);
});
