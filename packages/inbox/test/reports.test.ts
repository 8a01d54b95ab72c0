/** The reports page's choices and words (§18): periods as local days, the query, durations, the heat map's scale. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ReportFigures, ReportResponse } from "@parley/protocol";
import { reportsEn as en } from "../src/i18n/reports/en.js";
import { reportsFr as fr } from "../src/i18n/reports/fr.js";
import { reportsJa as ja } from "../src/i18n/reports/ja.js";
import {
  addDays,
  busiestCount,
  daysBetween,
  defaultFilters,
  exportUrl,
  heatLevel,
  humanDuration,
  localDay,
  periodDays,
  periodProblem,
  reportIsEmpty,
  reportQuery,
  timeZones,
  weekdayNames,
} from "../src/state/reports.js";
import { parseRoute, routePath } from "../src/state/routes.js";

const figures = (overrides: Partial<ReportFigures> = {}): ReportFigures => ({
  conversations: 0,
  visitor_messages: 0,
  agent_messages: 0,
  resolved: 0,
  unanswered: 0,
  first_response: { count: 0, median_seconds: null, p90_seconds: null },
  resolution: { count: 0, median_seconds: null, p90_seconds: null },
  ratings: { count: 0, average: null, satisfied_percent: null, scores: [0, 0, 0, 0, 0] },
  ...overrides,
});

const report = (totals: ReportFigures): ReportResponse => ({
  since: "2026-11-25",
  until: "2026-12-01",
  time_zone: "UTC",
  site_id: null,
  agent_id: null,
  totals,
  days: [],
  busiest_hours: Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0)),
  sites: [],
  agents: [],
});

test("Reports has its own address", () => {
  assert.deepEqual(parseRoute("/admin/reports"), { page: "reports" });
  assert.deepEqual(parseRoute("/admin/reports/"), { page: "reports" });
  assert.equal(routePath({ page: "reports" }), "/admin/reports");
});

test("today is the local day of the chosen time zone, not the browser's or UTC's", () => {
  // 23:30 UTC on 1 December is already 2 December in Tokyo and still 1 December in New York.
  const now = new Date("2026-12-01T23:30:00Z");
  assert.equal(localDay(now, "UTC"), "2026-12-01");
  assert.equal(localDay(now, "Asia/Tokyo"), "2026-12-02");
  assert.equal(localDay(now, "America/New_York"), "2026-12-01");
  // A half-hour zone: 18:45 UTC is 00:15 the next day in Kolkata.
  assert.equal(localDay(new Date("2026-12-01T18:45:00Z"), "Asia/Kolkata"), "2026-12-02");
});

test("the last N days end today, both ends included, across months and years", () => {
  const now = new Date("2026-01-03T12:00:00Z");
  const filters = defaultFilters(now, "UTC");
  assert.deepEqual(periodDays(filters, now), { since: "2025-12-28", until: "2026-01-03" });
  assert.deepEqual(periodDays({ ...filters, period: "30" }, now), {
    since: "2025-12-05",
    until: "2026-01-03",
  });
  assert.equal(daysBetween("2025-12-05", "2026-01-03"), 30);
  assert.deepEqual(periodDays({ ...filters, period: "90" }, now).since, addDays("2026-01-03", -89));
  assert.deepEqual(
    periodDays({ ...filters, period: "custom", since: "2026-02-01", until: "2026-02-10" }, now),
    {
      since: "2026-02-01",
      until: "2026-02-10",
    },
  );
  // A day with a daylight-saving change is still one day.
  assert.equal(addDays("2026-03-28", 2), "2026-03-30");
  assert.equal(daysBetween("2026-03-28", "2026-03-30"), 3);
});

test("custom days are checked before asking: both set, in order, at most 366 days", () => {
  assert.equal(periodProblem("2026-01-01", "2026-01-31", en), null);
  assert.equal(periodProblem("", "2026-01-31", en), "Choose both days.");
  assert.equal(periodProblem("2026-02-01", "2026-01-31", en), "The first day is after the last.");
  assert.equal(periodProblem("2025-01-01", "2026-01-02", en), "A report covers at most 366 days.");
  assert.equal(periodProblem("2025-01-01", "2026-01-01", en), null, "366 days");
  assert.equal(periodProblem("2024-01-01", "2024-12-31", en), null, "a leap year is 366 days");
});

test("the query carries the days, the zone and only the filters chosen; CSV links share it", () => {
  const now = new Date("2026-12-01T10:00:00Z");
  const filters = defaultFilters(now, "Europe/Paris");
  assert.deepEqual(reportQuery(filters, now), {
    since: "2026-11-25",
    until: "2026-12-01",
    time_zone: "Europe/Paris",
  });
  const query = reportQuery({ ...filters, siteId: "2", agentId: "7" }, now);
  assert.deepEqual(query, {
    since: "2026-11-25",
    until: "2026-12-01",
    time_zone: "Europe/Paris",
    site_id: "2",
    agent_id: "7",
  });
  assert.equal(
    exportUrl(query, "agents"),
    "/reports/export?since=2026-11-25&until=2026-12-01&time_zone=Europe%2FParis&site_id=2&agent_id=7&table=agents",
  );
});

test("durations in words: the two largest units, a zero second part left out", () => {
  assert.equal(humanDuration(null, en), "—");
  assert.equal(humanDuration(0, en), "0 s");
  assert.equal(humanDuration(45, en), "45 s");
  assert.equal(humanDuration(250, en), "4 min 10 s");
  assert.equal(humanDuration(240, en), "4 min");
  assert.equal(humanDuration(3600 * 2 + 5 * 60 + 9, en), "2 h 5 min");
  assert.equal(humanDuration(86_400 * 3 + 3600 * 4, en), "3 d 4 h");
  assert.equal(humanDuration(86_400 + 59, en), "1 d", "the seconds of a day-long wait do not show");
  assert.equal(humanDuration(250, fr), "4\u00a0min\u00a010\u00a0s");
  assert.equal(humanDuration(250, ja), "4分10秒");
});

test("a period with nothing in it is empty; one with a rating or a message is not", () => {
  assert.equal(reportIsEmpty(report(figures())), true);
  assert.equal(reportIsEmpty(report(figures({ conversations: 1 }))), false);
  assert.equal(reportIsEmpty(report(figures({ agent_messages: 2 }))), false);
  const rated = figures({
    ratings: { count: 1, average: 5, satisfied_percent: 100, scores: [0, 0, 0, 0, 1] },
  });
  assert.equal(reportIsEmpty(report(rated)), false);
});

test("the heat map is shaded against the busiest hour", () => {
  const hours = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  assert.equal(busiestCount(hours), 0);
  assert.equal(heatLevel(0, 0), 0, "all zero: no shade, no division by zero");
  hours[2]![14] = 8;
  hours[0]![9] = 2;
  assert.equal(busiestCount(hours), 8);
  assert.equal(heatLevel(8, 8), 1);
  assert.equal(heatLevel(2, 8), 0.25);
});

test("weekdays start on Monday, as the report counts them, in the page's language", () => {
  assert.deepEqual(weekdayNames("en", "long").slice(0, 2), ["Monday", "Tuesday"]);
  assert.equal(weekdayNames("fr", "long")[6], "dimanche");
  assert.equal(weekdayNames("ja", "short")[0], "月");
});

test("the time zone chooser holds the browser's own zone and UTC", () => {
  const zones = timeZones("Asia/Kolkata");
  assert.ok(zones.includes("Asia/Kolkata"));
  assert.ok(zones.includes("UTC"));
  assert.ok(timeZones("Mars/Olympus").includes("Mars/Olympus"), "a zone the list lacks is kept");
});
