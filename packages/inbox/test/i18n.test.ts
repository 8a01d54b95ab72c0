/**
 * The inbox's languages: French and Japanese say everything English says, with the same blanks,
 * in the main dictionaries and in the Reports page's (its chunk's) alike.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { en as inboxEn } from "../src/i18n/en.js";
import { fr as inboxFr } from "../src/i18n/fr.js";
import { ja as inboxJa } from "../src/i18n/ja.js";
import { reportsEn } from "../src/i18n/reports/en.js";
import { reportsFr } from "../src/i18n/reports/fr.js";
import { reportsJa } from "../src/i18n/reports/ja.js";
import { browserLocale, DICTIONARIES, LANGUAGE_NAMES, LOCALES } from "../src/i18n/index.js";
import { relativeTime, sinceText } from "../src/state/relativeTime.js";

const en = { ...inboxEn, ...reportsEn };
const fr = { ...inboxFr, ...reportsFr };
const ja = { ...inboxJa, ...reportsJa };

/** Values rightly the same as the English: words French borrows as they are. */
const ALLOWED_SAME: Record<"fr" | "ja", ReadonlySet<string>> = {
  fr: new Set([
    "navContacts",
    "notifications",
    "roleAgent",
    "auditWhat",
    "auditAgent",
    "auditSystem",
    "reportsSite",
    "reportsAgent",
    "reportsConversations",
    "reportsMessages",
    "reportsSatisfaction",
  ]),
  ja: new Set([]),
};

type Dictionary = Record<string, string | ((...args: never[]) => string)>;
const keysOf = (dictionary: object): string[] => Object.keys(dictionary).sort();

/** Calls a message function with markers for its parameters (an array where it joins names). */
function render(
  key: string,
  value: string | ((...args: never[]) => string),
): { text: string; markers: string[] } {
  if (typeof value === "string") return { text: value, markers: [] };
  if (key === "isTyping") {
    const markers = ["§a", "§b"];
    return { text: (value as (names: string[]) => string)(markers), markers };
  }
  const markers = Array.from({ length: value.length }, (_, index) => `§${index + 1}`);
  return { text: (value as (...args: string[]) => string)(...markers), markers };
}

test("the Reports page's words do not shadow the inbox's", () => {
  assert.deepEqual(
    Object.keys(reportsEn).filter((key) => key in inboxEn),
    [],
  );
});

test("French and Japanese have exactly English's keys", () => {
  const english = keysOf(en);
  assert.deepEqual(keysOf(fr), english);
  assert.deepEqual(keysOf(ja), english);
});

for (const [locale, dictionary] of [
  ["fr", fr],
  ["ja", ja],
] as const) {
  test(`${locale}: every message is translated, except the few allowed to match English`, () => {
    const same = Object.keys(en).filter((key) => {
      const english = render(key, (en as Dictionary)[key]!).text;
      const translated = render(key, (dictionary as Dictionary)[key]!).text;
      return english === translated && !ALLOWED_SAME[locale].has(key);
    });
    assert.deepEqual(same, [], `untranslated in ${locale}: ${same.join(", ")}`);
  });

  test(`${locale}: every message takes the same parameters as English and shows each of them`, () => {
    for (const key of Object.keys(en)) {
      const english = (en as Dictionary)[key];
      const translated = (dictionary as Dictionary)[key];
      assert.equal(typeof translated, typeof english, `${key} is a ${typeof english} in English`);
      if (typeof english !== "function" || typeof translated !== "function") continue;
      assert.equal(translated.length, english.length, `${key} takes ${english.length} parameters`);
      const { text, markers } = render(key, translated);
      for (const marker of markers)
        assert.ok(text.includes(marker), `${locale}.${key} leaves out ${marker}: ${text}`);
      assert.ok(render(key, english).markers.every((marker) => render(key, english).text.includes(marker)));
    }
  });
}

test("each language is named in itself, and every dictionary is there", () => {
  assert.deepEqual([...LOCALES], ["en", "fr", "ja"]);
  assert.deepEqual(LANGUAGE_NAMES, { en: "English", fr: "Français", ja: "日本語" });
  assert.equal(DICTIONARIES.ja.navInbox, "受信箱");
});

test("the default language is the browser's first one the inbox speaks, else English", () => {
  assert.equal(browserLocale(["fr-CA", "en-US"]), "fr");
  assert.equal(browserLocale(["de-DE", "ja-JP", "fr"]), "ja");
  assert.equal(browserLocale(["en-GB"]), "en");
  assert.equal(browserLocale(["de", "es"]), "en");
  assert.equal(browserLocale([]), "en");
});

test("English times read as before (the list and the contact card)", () => {
  const now = Date.parse("2025-03-10T12:00:00Z");
  assert.equal(relativeTime("2025-03-10T11:55:00Z", now), "5 min");
  assert.equal(sinceText("2025-03-10T11:59:30Z", now), "Now");
  assert.equal(sinceText("2025-03-10T09:00:00Z", now), "3 h ago");
});
