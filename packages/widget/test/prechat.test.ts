import assert from "node:assert/strict";
import { test } from "node:test";
import { LOCALES } from "../src/i18n.js";
import { isEmail, problemOf } from "../src/prechat/check.js";
import { TEXTS } from "../src/prechat/texts.js";

test("an email has one @, a dotted domain and no spaces, within 254 characters", () => {
  for (const good of ["ada@example.com", "a.b+c@mail.example.co.uk", "x@y.z"]) assert.ok(isEmail(good), good);
  for (const bad of [
    "ada",
    "ada@",
    "@example.com",
    "ada@example",
    "ada@@example.com",
    "a da@example.com",
    "ada@example.",
    "ada@.com",
    `${"a".repeat(250)}@example.com`,
  ]) {
    assert.ok(!isEmail(bad), bad);
  }
});

test("a field's problem: missing when required, malformed when an email, none when optional and empty", () => {
  assert.equal(problemOf("name", "", true), "nameMissing");
  assert.equal(problemOf("email", "", true), "emailMissing");
  assert.equal(problemOf("email", "", false), undefined);
  assert.equal(problemOf("email", "not-an-email", false), "emailInvalid");
  assert.equal(problemOf("email", "ada@example.com", true), undefined);
  assert.equal(problemOf("name", "Ada", true), undefined);
});

test("every locale has every pre-chat text", () => {
  const keys = Object.keys(TEXTS.en).sort();
  for (const locale of LOCALES) {
    assert.deepEqual(Object.keys(TEXTS[locale]).sort(), keys, locale);
    for (const key of keys) assert.ok(TEXTS[locale][key as keyof typeof TEXTS.en], `${locale}.${key}`);
  }
});
