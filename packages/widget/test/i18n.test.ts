import assert from "node:assert/strict";
import { test } from "node:test";
import { fill, LOCALES, pickLocale, STRINGS, type Strings } from "../src/i18n.js";
import { WORDS, type LauncherWords } from "../src/loader/words.js";

test("the setting wins, then the browser's languages, then English", () => {
  assert.equal(pickLocale("fr", ["ja-JP"]), "fr");
  assert.equal(pickLocale("FR-ca", []), "fr");
  assert.equal(pickLocale(null, ["de-DE", "ja-JP", "fr"]), "ja");
  assert.equal(pickLocale("xx", ["pt-BR"]), "en");
  assert.equal(pickLocale(undefined, []), "en");
});

test("every locale has every string, with the same placeholders", () => {
  const placeholders = (text: string): string[] => [...text.matchAll(/\{\w+\}/g)].map((m) => m[0]).sort();
  for (const locale of LOCALES) {
    for (const key of Object.keys(STRINGS.en) as (keyof Strings)[]) {
      const english = STRINGS.en[key];
      const translated = STRINGS[locale][key];
      assert.ok(translated, `${locale}.${key}`);
      assert.deepEqual(placeholders(translated), placeholders(english), `${locale}.${key}`);
    }
    for (const key of Object.keys(WORDS.en) as (keyof LauncherWords)[]) {
      assert.ok(WORDS[locale][key], `launcher ${locale}.${key}`);
      assert.deepEqual(
        placeholders(WORDS[locale][key]),
        placeholders(WORDS.en[key]),
        `launcher ${locale}.${key}`,
      );
    }
  }
});

test("fill replaces known placeholders and leaves others", () => {
  assert.equal(fill("{n} min", { n: 5 }), "5 min");
  assert.equal(fill("{name} is typing…", {}), "{name} is typing…");
});
