/**
 * Editing a site's business hours (§10): the time zones to pick from, a starting schedule, the
 * `"24:00"` a time field cannot show, and the problems worth saying before the server does.
 */
import { formatLocale, messages } from "../i18n/index.js";
import { WEEKDAYS, type BusinessHours, type OpeningInterval, type Weekday } from "@parley/protocol";

export const WEEKDAY_NAMES: Record<Weekday, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

/** A weekday's name in the inbox's language ("Monday", "lundi", "月曜日"). */
export function weekdayName(day: Weekday, locale: string = formatLocale()): string {
  // 1 January 2024 was a Monday.
  const date = new Date(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day)));
  return date.toLocaleDateString(locale, { weekday: "long", timeZone: "UTC" });
}

/** The browser's own zone: the likely answer, suggested first. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** Every zone the browser knows, with `current` kept even when it spells it differently ("UTC"). */
export function timeZoneChoices(current: string): string[] {
  const known =
    typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [browserTimeZone()];
  return known.includes(current) ? known : [current, ...known];
}

/** Where a site without hours starts when they are turned on: weekdays, nine to five. */
export function startingHours(timeZone: string): BusinessHours {
  const day = (): OpeningInterval[] => [{ open: "09:00", close: "17:00" }];
  return {
    time_zone: timeZone,
    weekly: { mon: day(), tue: day(), wed: day(), thu: day(), fri: day() },
    closed_days: [],
  };
}

/** A time field has no "24:00": it shows midnight as 00:00, which as a closing time means the day's end. */
export function closeForField(close: string): string {
  return close === "24:00" ? "00:00" : close;
}

export function closeFromField(value: string): string {
  return value === "00:00" ? "24:00" : value;
}

/** What is wrong with a day's intervals, in words, or null. */
export function dayProblem(intervals: readonly OpeningInterval[]): string | null {
  for (const { open, close } of intervals) {
    if (open === "" || close === "") return messages().intervalMissing;
    if (close <= open) return messages().closeAfterOpen(`${open}–${close}`);
  }
  const sorted = [...intervals].sort((a, b) => (a.open < b.open ? -1 : 1));
  for (let index = 1; index < sorted.length; index++) {
    const before = sorted[index - 1];
    const after = sorted[index];
    if (before !== undefined && after !== undefined && after.open < before.close)
      return messages().intervalsOverlap(`${before.open}–${before.close}`, `${after.open}–${after.close}`);
  }
  return null;
}

/** As the server wants it: each day's intervals in order, closed days left out, dates sorted once. */
export function normalizedHours(hours: BusinessHours): BusinessHours {
  const weekly: BusinessHours["weekly"] = {};
  for (const day of WEEKDAYS) {
    const intervals = hours.weekly[day] ?? [];
    if (intervals.length > 0) weekly[day] = [...intervals].sort((a, b) => (a.open < b.open ? -1 : 1));
  }
  return {
    time_zone: hours.time_zone,
    weekly,
    closed_days: [...new Set(hours.closed_days)].sort(),
  };
}
