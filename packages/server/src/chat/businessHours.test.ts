/**
 * Business hours on fixed clocks: time zones apart, both DST changes in Berlin and New York,
 * closed days, overnight spans, schedules that never open, and the validator's words.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BusinessHours, OpeningInterval } from "@parley/protocol";
import { businessHoursProblem, hoursState } from "./businessHours.js";

const nineToFive: OpeningInterval[] = [{ open: "09:00", close: "17:00" }];
const weekdays = (time_zone: string, closed_days: string[] = []): BusinessHours => ({
  time_zone,
  weekly: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive },
  closed_days,
});
const at = (iso: string) => new Date(iso);
const open = (hours_change_at: string | null) => ({
  within_hours: true,
  next_open_at: null,
  hours_change_at,
});
const closed = (next_open_at: string | null) => ({
  within_hours: false,
  next_open_at,
  hours_change_at: next_open_at,
});

describe("hoursState", () => {
  it("is always within hours for a site without hours", () => {
    assert.deepEqual(hoursState(null, at("2026-06-14T03:00:00Z")), open(null));
  });

  it("reads the same instant in each site's own time zone", () => {
    // Monday 14:00 UTC: 16:00 in Berlin (CEST), 10:00 in New York (EDT).
    const now = at("2026-06-15T14:00:00Z");
    assert.deepEqual(hoursState(weekdays("Europe/Berlin"), now), open("2026-06-15T15:00:00.000Z"));
    assert.deepEqual(hoursState(weekdays("America/New_York"), now), open("2026-06-15T21:00:00.000Z"));
    // 20:00 UTC: Berlin closed since 17:00 and back Tuesday 09:00; New York still open.
    const evening = at("2026-06-15T20:00:00Z");
    assert.deepEqual(hoursState(weekdays("Europe/Berlin"), evening), closed("2026-06-16T07:00:00.000Z"));
    assert.deepEqual(hoursState(weekdays("America/New_York"), evening), open("2026-06-15T21:00:00.000Z"));
  });

  it("takes the weekday from the local date, not the UTC one", () => {
    // Sunday 23:30 UTC is Monday 08:30 in Tokyo: opening at 09:00 JST, half an hour away.
    assert.deepEqual(
      hoursState(weekdays("Asia/Tokyo"), at("2026-06-14T23:30:00Z")),
      closed("2026-06-15T00:00:00.000Z"),
    );
  });

  it("opens and closes on the minute: open at the opening instant, closed at the closing one", () => {
    const hours = weekdays("Europe/Berlin");
    assert.deepEqual(hoursState(hours, at("2026-06-15T07:00:00Z")), open("2026-06-15T15:00:00.000Z"));
    assert.deepEqual(hoursState(hours, at("2026-06-15T06:59:59Z")), closed("2026-06-15T07:00:00.000Z"));
    assert.deepEqual(hoursState(hours, at("2026-06-15T15:00:00Z")), closed("2026-06-16T07:00:00.000Z"));
  });

  it("is back Monday at 9:00 after a weekend", () => {
    // Friday 17:30 in Berlin.
    assert.deepEqual(
      hoursState(weekdays("Europe/Berlin"), at("2026-06-19T15:30:00Z")),
      closed("2026-06-22T07:00:00.000Z"),
    );
  });

  it("keeps Monday at 9:00 local across the weekend the clocks change (Berlin, both ways)", () => {
    // Friday 18:00 CET before the spring change (Sunday 29 March): Monday 09:00 is CEST, 07:00 UTC.
    assert.deepEqual(
      hoursState(weekdays("Europe/Berlin"), at("2026-03-27T17:00:00Z")),
      closed("2026-03-30T07:00:00.000Z"),
    );
    // Friday 18:00 CEST before the autumn change (Sunday 25 October): Monday 09:00 is CET, 08:00 UTC.
    assert.deepEqual(
      hoursState(weekdays("Europe/Berlin"), at("2026-10-23T16:00:00Z")),
      closed("2026-10-26T08:00:00.000Z"),
    );
  });

  it("opens at the first instant after the skipped hour when the opening falls in it (Berlin, March)", () => {
    // 29 March 2026: at 02:00 CET (01:00 UTC) clocks go to 03:00 CEST; 02:30 never shows.
    const hours: BusinessHours = {
      time_zone: "Europe/Berlin",
      weekly: { sun: [{ open: "02:30", close: "05:00" }] },
      closed_days: [],
    };
    assert.deepEqual(hoursState(hours, at("2026-03-29T00:30:00Z")), closed("2026-03-29T01:00:00.000Z"));
    // From 03:00 CEST it is open, until 05:00 CEST (03:00 UTC).
    assert.deepEqual(hoursState(hours, at("2026-03-29T01:00:00Z")), open("2026-03-29T03:00:00.000Z"));
  });

  it("opens at the first of two 02:30s and stays open through the repeated hour (Berlin, October)", () => {
    // 25 October 2026: at 03:00 CEST (01:00 UTC) clocks go back to 02:00 CET; 02:00–03:00 shows twice.
    const hours: BusinessHours = {
      time_zone: "Europe/Berlin",
      weekly: { sun: [{ open: "02:30", close: "04:00" }] },
      closed_days: [],
    };
    // 02:00 CEST, the first pass: opens at 02:30 CEST, 00:30 UTC.
    assert.deepEqual(hoursState(hours, at("2026-10-25T00:00:00Z")), closed("2026-10-25T00:30:00.000Z"));
    // 02:45 CEST: open until 04:00 CET, 03:00 UTC.
    assert.deepEqual(hoursState(hours, at("2026-10-25T00:45:00Z")), open("2026-10-25T03:00:00.000Z"));
    // 02:15 CET, the second pass: the wall clock reads before 02:30, but it opened an hour ago.
    assert.deepEqual(hoursState(hours, at("2026-10-25T01:15:00Z")), open("2026-10-25T03:00:00.000Z"));
  });

  it("skips a span wholly inside the skipped hour (New York, March)", () => {
    // 8 March 2026: at 02:00 EST (07:00 UTC) clocks go to 03:00 EDT; 02:00–03:00 does not happen.
    const hours: BusinessHours = {
      time_zone: "America/New_York",
      weekly: { sun: [{ open: "02:00", close: "03:00" }] },
      closed_days: [],
    };
    // Next Sunday's 02:00 EDT instead.
    assert.deepEqual(hoursState(hours, at("2026-03-08T05:00:00Z")), closed("2026-03-15T06:00:00.000Z"));
  });

  it("opens at the first 01:30 when New York's clocks go back (November)", () => {
    // 1 November 2026: at 02:00 EDT (06:00 UTC) clocks go back to 01:00 EST; 01:00–02:00 shows twice.
    const hours: BusinessHours = {
      time_zone: "America/New_York",
      weekly: { sun: [{ open: "01:30", close: "02:30" }] },
      closed_days: [],
    };
    assert.deepEqual(hoursState(hours, at("2026-11-01T05:00:00Z")), closed("2026-11-01T05:30:00.000Z"));
    // 01:10 EST, the second pass, still open: until 02:30 EST, 07:30 UTC.
    assert.deepEqual(hoursState(hours, at("2026-11-01T06:10:00Z")), open("2026-11-01T07:30:00.000Z"));
  });

  it("treats a span over midnight (24:00, then 00:00) as one, with no flip at midnight", () => {
    const hours: BusinessHours = {
      time_zone: "Europe/Berlin",
      weekly: { fri: [{ open: "22:00", close: "24:00" }], sat: [{ open: "00:00", close: "06:00" }] },
      closed_days: [],
    };
    // Friday 23:00 CEST: open until Saturday 06:00 CEST (04:00 UTC), not until midnight.
    assert.deepEqual(hoursState(hours, at("2026-06-19T21:00:00Z")), open("2026-06-20T04:00:00.000Z"));
    // Saturday 01:00: the same span.
    assert.deepEqual(hoursState(hours, at("2026-06-19T23:00:00Z")), open("2026-06-20T04:00:00.000Z"));
    // Adjacent intervals within a day are one span too.
    const lunch: BusinessHours = {
      time_zone: "UTC",
      weekly: {
        mon: [
          { open: "09:00", close: "12:00" },
          { open: "12:00", close: "17:00" },
        ],
      },
      closed_days: [],
    };
    assert.deepEqual(hoursState(lunch, at("2026-06-15T10:00:00Z")), open("2026-06-15T17:00:00.000Z"));
  });

  it("is open around the clock with no end in sight, or until a closed day", () => {
    const day: OpeningInterval[] = [{ open: "00:00", close: "24:00" }];
    const hours: BusinessHours = {
      time_zone: "Europe/Berlin",
      weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
      closed_days: [],
    };
    assert.deepEqual(hoursState(hours, at("2026-06-15T10:00:00Z")), open(null));
    // Closed on Thursday 18 June (local): shuts at its local midnight, 22:00 UTC on the 17th.
    const holiday = { ...hours, closed_days: ["2026-06-18"] };
    assert.deepEqual(hoursState(holiday, at("2026-06-15T10:00:00Z")), open("2026-06-17T22:00:00.000Z"));
    assert.deepEqual(hoursState(holiday, at("2026-06-18T10:00:00Z")), closed("2026-06-18T22:00:00.000Z"));
  });

  it("skips closed days, read as local dates", () => {
    // Monday 15 June a holiday: on Friday evening the team is back Tuesday.
    const hours = weekdays("Europe/Berlin", ["2026-06-15"]);
    assert.deepEqual(hoursState(hours, at("2026-06-12T16:00:00Z")), closed("2026-06-16T07:00:00.000Z"));
    assert.deepEqual(hoursState(hours, at("2026-06-15T10:00:00Z")), closed("2026-06-16T07:00:00.000Z"));
    // In Tokyo, Monday the 15th begins at 15:00 UTC on the 14th; a holiday that day moves 09:00 to Tuesday.
    assert.deepEqual(
      hoursState(weekdays("Asia/Tokyo", ["2026-06-15"]), at("2026-06-14T23:30:00Z")),
      closed("2026-06-16T00:00:00.000Z"),
    );
  });

  it("never opens: no intervals at all, or every opening ahead a closed day", () => {
    const never = { within_hours: false, next_open_at: null, hours_change_at: null };
    const now = at("2026-06-15T10:00:00Z");
    assert.deepEqual(hoursState({ time_zone: "Europe/Berlin", weekly: {}, closed_days: [] }, now), never);
    assert.deepEqual(
      hoursState({ time_zone: "Europe/Berlin", weekly: { mon: [] }, closed_days: [] }, now),
      never,
    );
    // Open on Mondays only, and the next 366 Mondays are closed days: beyond the look-ahead.
    const mondays = Array.from({ length: 366 }, (_, i) =>
      new Date(Date.UTC(2026, 5, 22 + 7 * i)).toISOString().slice(0, 10),
    );
    const hours: BusinessHours = {
      time_zone: "Europe/Berlin",
      weekly: { mon: nineToFive },
      closed_days: mondays,
    };
    assert.deepEqual(hoursState(hours, at("2026-06-15T16:00:00Z")), never);
  });
});

describe("businessHoursProblem", () => {
  const valid = weekdays("Europe/Berlin", ["2026-12-25"]);
  const withWeekly = (weekly: BusinessHours["weekly"]): BusinessHours => ({ ...valid, weekly });

  it("accepts a sound schedule, adjacent intervals and 24:00 included", () => {
    assert.equal(businessHoursProblem(valid), null);
    assert.equal(
      businessHoursProblem(
        withWeekly({
          sat: [
            { open: "00:00", close: "12:00" },
            { open: "12:00", close: "24:00" },
          ],
        }),
      ),
      null,
    );
    assert.equal(businessHoursProblem({ time_zone: "UTC", weekly: {}, closed_days: [] }), null);
  });

  it("refuses a zone Intl does not know, and offsets that are not zone names", () => {
    assert.match(businessHoursProblem({ ...valid, time_zone: "Mars/Olympus_Mons" }) ?? "", /time_zone/);
    assert.match(businessHoursProblem({ ...valid, time_zone: "+01:00" }) ?? "", /time_zone/);
    assert.match(businessHoursProblem({ ...valid, time_zone: "" }) ?? "", /time_zone/);
  });

  it("refuses times that are not HH:MM, and 24:00 as an opening", () => {
    assert.match(
      businessHoursProblem(withWeekly({ mon: [{ open: "9:00", close: "17:00" }] })) ?? "",
      /mon\[0\]\.open/,
    );
    assert.match(
      businessHoursProblem(withWeekly({ mon: [{ open: "24:00", close: "24:00" }] })) ?? "",
      /open/,
    );
    assert.match(
      businessHoursProblem(withWeekly({ mon: [{ open: "09:00", close: "24:30" }] })) ?? "",
      /close/,
    );
    assert.match(
      businessHoursProblem(withWeekly({ mon: [{ open: "09:60", close: "10:00" }] })) ?? "",
      /open/,
    );
  });

  it("refuses a close not after its open, overlaps, disorder and unknown days", () => {
    assert.match(
      businessHoursProblem(withWeekly({ tue: [{ open: "17:00", close: "09:00" }] })) ?? "",
      /tue\[0\]: close .* after open/,
    );
    assert.match(
      businessHoursProblem(withWeekly({ tue: [{ open: "09:00", close: "09:00" }] })) ?? "",
      /after open/,
    );
    assert.match(
      businessHoursProblem(
        withWeekly({
          wed: [
            { open: "09:00", close: "13:00" },
            { open: "12:00", close: "17:00" },
          ],
        }),
      ) ?? "",
      /wed\[1\].*overlap/,
    );
    assert.match(
      businessHoursProblem(
        withWeekly({
          wed: [
            { open: "14:00", close: "17:00" },
            { open: "09:00", close: "12:00" },
          ],
        }),
      ) ?? "",
      /in order/,
    );
    assert.match(
      businessHoursProblem(withWeekly({ monday: nineToFive } as unknown as BusinessHours["weekly"])) ?? "",
      /"monday"/,
    );
  });

  it("refuses dates that do not exist and more than 366 of them", () => {
    assert.match(businessHoursProblem({ ...valid, closed_days: ["2026-02-30"] }) ?? "", /2026-02-30/);
    assert.match(businessHoursProblem({ ...valid, closed_days: ["2026-6-1"] }) ?? "", /2026-6-1/);
    const many = Array.from({ length: 367 }, (_, i) =>
      new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
    );
    assert.match(businessHoursProblem({ ...valid, closed_days: many }) ?? "", /at most 366/);
    assert.equal(businessHoursProblem({ ...valid, closed_days: many.slice(0, 366) }), null);
  });
});
