/**
 * A report's local days and hours in UTC (chat/reportPeriod.ts): the length of days either side
 * of daylight-saving changes, half-hour and quarter-hour zones, a zone whose change is half an
 * hour, and hours skipped or repeated.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { knownTimeZone, reportPeriod } from "../../src/chat/reportPeriod.js";

const HOUR = 3_600_000;
const lengths = (ranges: Array<{ start: string; end: string }>) =>
  ranges.map((range) => (Date.parse(range.end) - Date.parse(range.start)) / HOUR);

describe("report periods", () => {
  it("gives New York's spring-forward day 23 hours and its fall-back day 25", () => {
    const spring = reportPeriod("2026-03-07", "2026-03-09", "America/New_York");
    assert.deepEqual(spring.dates, ["2026-03-07", "2026-03-08", "2026-03-09"]);
    assert.deepEqual(
      spring.days.map((day) => [day.key, day.start, day.end]),
      [
        [0, "2026-03-07T05:00:00.000Z", "2026-03-08T05:00:00.000Z"],
        [1, "2026-03-08T05:00:00.000Z", "2026-03-09T04:00:00.000Z"],
        [2, "2026-03-09T04:00:00.000Z", "2026-03-10T04:00:00.000Z"],
      ],
    );
    // 02:00 never happened on the 8th: 71 hours, none of them Sunday 02:00.
    assert.equal(spring.hours.length, 71);
    assert.equal(spring.hours.filter((hour) => hour.key === 6 * 24 + 2).length, 0);
    const fall = reportPeriod("2026-11-01", "2026-11-01", "America/New_York");
    assert.deepEqual(lengths(fall.days), [25]);
    // 01:00 happened twice: one two-hour range for it.
    assert.equal(fall.hours.length, 24);
    assert.deepEqual(
      fall.hours.filter((hour) => hour.key === 6 * 24 + 1).map((hour) => [hour.start, hour.end]),
      [["2026-11-01T05:00:00.000Z", "2026-11-01T07:00:00.000Z"]],
    );
  });

  it("follows Paris, Kolkata (+05:30), Kathmandu (+05:45) and Lord Howe's half-hour change", () => {
    assert.deepEqual(lengths(reportPeriod("2026-03-28", "2026-03-30", "Europe/Paris").days), [24, 23, 24]);
    assert.deepEqual(lengths(reportPeriod("2026-10-24", "2026-10-26", "Europe/Paris").days), [24, 25, 24]);
    const kolkata = reportPeriod("2026-03-09", "2026-03-09", "Asia/Kolkata");
    assert.deepEqual(
      [kolkata.days[0]!.start, kolkata.days[0]!.end],
      ["2026-03-08T18:30:00.000Z", "2026-03-09T18:30:00.000Z"],
    );
    // Monday 00:00 local is Sunday 18:30 UTC, and it is key 0.
    assert.deepEqual(kolkata.hours[0], {
      key: 0,
      start: "2026-03-08T18:30:00.000Z",
      end: "2026-03-08T19:30:00.000Z",
    });
    assert.equal(
      reportPeriod("2026-03-09", "2026-03-09", "Asia/Kathmandu").days[0]!.start,
      "2026-03-08T18:15:00.000Z",
    );
    // Lord Howe Island moves its clocks by 30 minutes (first Sunday of April 2026: back).
    assert.deepEqual(lengths(reportPeriod("2026-04-05", "2026-04-05", "Australia/Lord_Howe").days), [24.5]);
  });

  it("covers a whole year without gaps or overlaps", () => {
    const year = reportPeriod("2025-01-01", "2025-12-31", "America/New_York");
    assert.equal(year.days.length, 365);
    for (let i = 1; i < year.days.length; i++) assert.equal(year.days[i]!.start, year.days[i - 1]!.end);
    for (let i = 1; i < year.hours.length; i++) assert.equal(year.hours[i]!.start, year.hours[i - 1]!.end);
    assert.equal(year.hours.at(-1)!.end, year.days.at(-1)!.end);
    assert.equal(year.hours.length, 365 * 24 - 1);
  });

  it("knows real zones only", () => {
    assert.equal(knownTimeZone("Europe/Paris"), true);
    assert.equal(knownTimeZone("UTC"), true);
    assert.equal(knownTimeZone("Mars/Olympus"), false);
  });
});
