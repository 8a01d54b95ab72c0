import assert from "node:assert/strict";
import { test } from "node:test";
import { contrastRatio, parseHexColor, textColorOn } from "../src/contrast.js";
import { DEFAULT_COLOR } from "../src/settings.js";

test("hex colours parse, short and long; anything else is refused", () => {
  assert.equal(parseHexColor("#ABC"), "#aabbcc");
  assert.equal(parseHexColor(" #1a2B3c "), "#1a2b3c");
  for (const bad of ["red", "#12", "#12345g", "url(x)", "", null, undefined])
    assert.equal(parseHexColor(bad), null);
});

test("text on the brand colour meets WCAG AA whatever the colour", () => {
  for (const color of [DEFAULT_COLOR, "#ffffff", "#000000", "#ffcc00", "#777777", "#00a86b", "#e91e63"]) {
    assert.ok(contrastRatio(color, textColorOn(color)) >= 4.5, color);
  }
});

test("contrast ratios match WCAG's reference values", () => {
  assert.equal(Math.round(contrastRatio("#ffffff", "#000000")), 21);
  assert.equal(contrastRatio("#777777", "#777777"), 1);
});
