import assert from "node:assert/strict";
import { test } from "node:test";
import { backLine } from "../src/back.js";
import { WORDS } from "../src/expect/texts.js";
import type { Locale } from "../src/i18n.js";

const BERLIN = "Europe/Berlin";
const NEW_YORK = "America/New_York";
const TOKYO = "Asia/Tokyo";

/** The line a visitor in `here` reads at `now` about a team in `zone` opening at `open`. */
function say(open: string, now: string, zone: string | null, here: string, locale: Locale = "en"): string {
  return backLine(open, zone, Date.parse(now), locale, WORDS[locale], here);
}

test("today, tomorrow and a weekday, in the team's zone, with no zone named when it is the visitor's", () => {
  // Monday 8:00 in Berlin, opening at 14:00 the same day.
  assert.equal(say("2025-03-10T13:00:00Z", "2025-03-10T07:00:00Z", BERLIN, BERLIN), "Back today at 14:00");
  // Monday 20:00, opening Tuesday 9:00.
  assert.equal(say("2025-03-11T08:00:00Z", "2025-03-10T19:00:00Z", BERLIN, BERLIN), "Back tomorrow at 9:00");
  // Friday 18:30, opening Monday 9:00.
  assert.equal(say("2025-03-10T08:00:00Z", "2025-03-07T17:30:00Z", BERLIN, BERLIN), "Back Monday at 9:00");
  // A zone with the same clock as the team's (Paris and Berlin) is not named either.
  assert.equal(
    say("2025-03-10T08:00:00Z", "2025-03-07T17:30:00Z", BERLIN, "Europe/Paris"),
    "Back Monday at 9:00",
  );
});

test("a visitor in another zone reads the team's time, with the team's zone named", () => {
  assert.equal(
    say("2025-03-10T08:00:00Z", "2025-03-07T17:30:00Z", BERLIN, NEW_YORK),
    "Back Monday at 9:00 (Central European Time)",
  );
  // Monday 17:00 in Berlin is already Tuesday 1:00 in Tokyo: for a team there, 9:00 is today.
  assert.equal(
    say("2025-03-11T00:00:00Z", "2025-03-10T16:00:00Z", TOKYO, BERLIN),
    "Back today at 9:00 (Japan Standard Time)",
  );
});

test("across a DST change the team's wall clock still reads 9:00", () => {
  // Berlin moves to summer time on Sunday 30 March 2025: Monday 9:00 is 07:00 UTC, not 08:00.
  assert.equal(say("2025-03-31T07:00:00Z", "2025-03-28T17:00:00Z", BERLIN, BERLIN), "Back Monday at 9:00");
  // New York moved three weeks earlier, so its visitors see the zone named.
  assert.equal(
    say("2025-03-31T07:00:00Z", "2025-03-28T17:00:00Z", BERLIN, NEW_YORK),
    "Back Monday at 9:00 (Central European Time)",
  );
  // Just after the change in the autumn, the 9:00 of the day after is 08:00 UTC again.
  assert.equal(say("2025-10-27T08:00:00Z", "2025-10-26T12:00:00Z", BERLIN, BERLIN), "Back tomorrow at 9:00");
});

test("a week or more away says the date", () => {
  assert.equal(
    say("2026-01-05T08:00:00Z", "2025-12-23T17:00:00Z", BERLIN, BERLIN),
    "Back Monday, January 5 at 9:00",
  );
});

test("in French and Japanese", () => {
  const friday = "2025-03-07T17:30:00Z";
  const monday = "2025-03-10T08:00:00Z";
  assert.equal(say(monday, friday, BERLIN, BERLIN, "fr"), "De retour lundi à 9:00");
  assert.equal(
    say("2025-03-10T13:00:00Z", "2025-03-10T07:00:00Z", BERLIN, BERLIN, "fr"),
    "De retour aujourd'hui à 14:00",
  );
  assert.equal(
    say(monday, friday, BERLIN, NEW_YORK, "fr"),
    "De retour lundi à 9:00 (heure d’Europe centrale)",
  );
  assert.equal(say(monday, friday, BERLIN, BERLIN, "ja"), "月曜日 9:00から対応します");
  assert.equal(
    say("2025-03-11T08:00:00Z", "2025-03-10T19:00:00Z", BERLIN, BERLIN, "ja"),
    "明日9:00から対応します",
  );
  assert.equal(say(monday, friday, BERLIN, TOKYO, "ja"), "月曜日 9:00から対応します（中央ヨーロッパ時間）");
});

test("without a usable zone the visitor's own clock is used; without a date, no line", () => {
  assert.equal(say("2025-03-10T08:00:00Z", "2025-03-07T17:30:00Z", null, NEW_YORK), "Back Monday at 4:00");
  assert.equal(
    say("2025-03-10T08:00:00Z", "2025-03-07T17:30:00Z", "Mars/Olympus_Mons", NEW_YORK),
    "Back Monday at 4:00",
  );
  assert.equal(say("not a date", "2025-03-07T17:30:00Z", BERLIN, BERLIN), "");
});
