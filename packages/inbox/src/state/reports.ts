/**
 * The reports page's choices and words (protocol §18), kept apart from the page so they can be
 * tested without a browser: the period as local days in the chosen time zone, the query both
 * `GET /reports` and the CSV links send, durations in words, and the heat map's scale.
 */
import { MAX_REPORT_DAYS, type ReportResponse, type ReportTable } from "@parley/protocol";
import type { ReportsMessages } from "../i18n/reports/index.js";

export const PERIODS = ["7", "30", "90", "custom"] as const;
export type Period = (typeof PERIODS)[number];

export interface ReportFilters {
  period: Period;
  /** The custom period's local days (`YYYY-MM-DD`); for a preset, kept to start a custom one from. */
  since: string;
  until: string;
  timeZone: string;
  /** "" for every site or agent. */
  siteId: string;
  agentId: string;
}

/** The browser's own time zone, which is what an agent means by "today" unless told otherwise. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** Every zone this browser knows, for the chooser (the browser's own first if it is missing). */
export function timeZones(own: string): string[] {
  const all = [...new Set(["UTC", ...supportedTimeZones()])];
  return all.includes(own) ? all : [own, ...all];
}

function supportedTimeZones(): string[] {
  try {
    return (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  } catch {
    return [];
  }
}

/** The local day `now` falls on in `timeZone`, as `YYYY-MM-DD`. */
export function localDay(now: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD; formatToParts keeps it independent of that habit anyway.
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(now);
  const part = (type: string): string => parts.find((one) => one.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** `day` moved by `days` calendar days (local days have no time, so UTC arithmetic is exact). */
export function addDays(day: string, days: number): string {
  const time = Date.parse(`${day}T00:00:00Z`) + days * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}

/** How many days from `since` to `until`, both included. */
export function daysBetween(since: string, until: string): number {
  return Math.round((Date.parse(`${until}T00:00:00Z`) - Date.parse(`${since}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The period a choice stands for: the last N local days ending today, or the custom days. */
export function periodDays(filters: ReportFilters, now: Date): { since: string; until: string } {
  if (filters.period === "custom") return { since: filters.since, until: filters.until };
  const until = localDay(now, filters.timeZone);
  return { since: addDays(until, 1 - Number(filters.period)), until };
}

export function defaultFilters(now: Date, timeZone = browserTimeZone()): ReportFilters {
  const base: ReportFilters = { period: "7", since: "", until: "", timeZone, siteId: "", agentId: "" };
  return { ...base, ...periodDays(base, now) };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Why the custom days cannot be asked for, in words; null when they can. */
export function periodProblem(since: string, until: string, t: ReportsMessages): string | null {
  if (!DAY.test(since) || !DAY.test(until) || Number.isNaN(Date.parse(`${since}T00:00:00Z`)))
    return t.reportsBadDates;
  if (since > until) return t.reportsSinceAfterUntil;
  if (daysBetween(since, until) > MAX_REPORT_DAYS) return t.reportsTooLong(MAX_REPORT_DAYS);
  return null;
}

export type ReportQuery = Record<string, string>;

/** The query of `GET /reports` and of its CSV links: the same figures either way. */
export function reportQuery(filters: ReportFilters, now: Date): ReportQuery {
  const query: ReportQuery = { ...periodDays(filters, now), time_zone: filters.timeZone };
  if (filters.siteId !== "") query.site_id = filters.siteId;
  if (filters.agentId !== "") query.agent_id = filters.agentId;
  return query;
}

export function exportUrl(query: ReportQuery, table: ReportTable): string {
  return `/reports/export?${new URLSearchParams({ ...query, table }).toString()}`;
}

/** No conversation, message or rating in the period: the page says so instead of drawing zeros. */
export function reportIsEmpty(report: ReportResponse): boolean {
  const totals = report.totals;
  return (
    totals.conversations === 0 &&
    totals.visitor_messages === 0 &&
    totals.agent_messages === 0 &&
    totals.resolved === 0 &&
    totals.ratings.count === 0
  );
}

/**
 * Seconds in words, the two largest units that matter: "45 s", "4 min 10 s", "2 h 5 min",
 * "3 d 4 h"; a zero second part is left out ("4 min"). null (no figure) is a dash.
 */
export function humanDuration(seconds: number | null, t: ReportsMessages): string {
  if (seconds === null) return "—";
  const whole = Math.max(0, Math.round(seconds));
  const units: [number, (count: number) => string][] = [
    [Math.floor(whole / 86_400), t.durationDays],
    [Math.floor((whole % 86_400) / 3600), t.durationHours],
    [Math.floor((whole % 3600) / 60), t.durationMinutes],
    [whole % 60, t.durationSeconds],
  ];
  const first = units.findIndex(([value]) => value > 0);
  if (first === -1) return t.durationSeconds(0);
  return units
    .slice(first, first + 2)
    .filter(([value], index) => index === 0 || value > 0)
    .map(([value, words]) => words(value))
    .join(t.durationGap);
}

/** A heat map cell's strength, 0 to 1, against the busiest hour (0 everywhere when all are 0). */
export function heatLevel(count: number, busiest: number): number {
  return busiest <= 0 ? 0 : Math.round((count / busiest) * 100) / 100;
}

export function busiestCount(hours: readonly (readonly number[])[]): number {
  return Math.max(0, ...hours.flat());
}

/** The weekday names, Monday first as the report counts them, in the page's language. */
export function weekdayNames(locale: string, width: "long" | "short"): string[] {
  const format = new Intl.DateTimeFormat(locale, { weekday: width, timeZone: "UTC" });
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, index) => format.format(new Date(Date.UTC(2024, 0, 1 + index))));
}

/** A local day (`YYYY-MM-DD`) written short in the page's language, for tables and axes. */
export function shortDay(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** A number in the page's language; null is a dash. */
export function formatNumber(value: number | null, locale: string, fractionDigits = 0): string {
  if (value === null) return "—";
  return new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits }).format(value);
}
