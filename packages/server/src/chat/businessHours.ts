/**
 * A site's business hours (§10): whether the team is within them at an instant, and when that
 * next changes. Pure: the clock comes in, nothing is read or written.
 *
 * The schedule is local wall-clock time in the site's zone, so the work happens on "local
 * milliseconds" (the wall clock read as if it were UTC), where every day has 24 hours; only the
 * ends of the open spans are turned into instants, by the rule for the two DST cases: a time the
 * clock skips (spring forward) happens at the first instant after it, and a time the clock shows
 * twice (fall back) happens the first time. Converting spans, not comparing wall clocks, keeps a
 * span that opened in the first pass of a repeated hour open through the second pass.
 */
import { WEEKDAYS, type BusinessHours, type OpeningInterval, type Weekday } from "@parley/protocol";

export interface HoursState {
  within_hours: boolean;
  /** While outside hours, when they next open (ISO 8601 UTC); null within hours or never. */
  next_open_at: string | null;
  /** When `within_hours` next flips (ISO 8601 UTC); null: not within the look-ahead. */
  hours_change_at: string | null;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/**
 * How far ahead a flip is looked for. A weekly schedule flips within a week unless closed days
 * are in the way, and there are at most 366 of those; past this the answer is "never" (null).
 */
const LOOK_AHEAD_DAYS = 2 * 366 + 8;
export const MAX_CLOSED_DAYS = 366;

/** Date#getUTCDay's numbering (Sunday first) to the schedule's keys. */
const BY_UTC_DAY: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** What an IANA name looks like; Intl then says whether it knows it. Offsets like "+01:00" are not names. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

const always = (): HoursState => ({ within_hours: true, next_open_at: null, hours_change_at: null });
const never = (): HoursState => ({ within_hours: false, next_open_at: null, hours_change_at: null });

/**
 * Within hours at `now`, and the next flip. `hours` must have passed businessHoursProblem (an
 * unknown zone throws). Adjacent intervals, "24:00" followed by the next day's "00:00" included,
 * are one open span.
 */
export function hoursState(hours: BusinessHours | null, now: Date): HoursState {
  if (hours === null) return always();
  if (!WEEKDAYS.some((day) => (hours.weekly[day]?.length ?? 0) > 0)) return never();
  const clock = wallClock(hours.time_zone);
  const at = now.getTime();
  const closed = new Set(hours.closed_days);
  const today = Math.floor(clock.local(at) / DAY) * DAY;

  /** A complete span's answer if "now" is before its end; null when it is over. */
  const settle = (span: Span): HoursState | null => {
    const open = clock.instant(span.open);
    const close = clock.instant(span.close);
    if (close <= at || close <= open) return null; // over, or wholly inside a skipped hour
    if (open <= at) return { within_hours: true, next_open_at: null, hours_change_at: iso(close) };
    return { within_hours: false, next_open_at: iso(open), hours_change_at: iso(open) };
  };

  // From the day before: a span of the day before may still be open (it merges into today's).
  let pending: Span | null = null;
  const horizon = today + (LOOK_AHEAD_DAYS + 1) * DAY;
  for (let day = today - DAY; day < horizon; day += DAY) {
    for (const span of localSpans(hours, closed, day)) {
      if (pending && span.open <= pending.close) {
        // Adjacent ("24:00" then the next day's "00:00"): one open span, not a flip.
        pending.close = Math.max(pending.close, span.close);
        continue;
      }
      const answer = pending && settle(pending);
      if (answer) return answer;
      pending = { ...span };
    }
  }
  if (!pending) return never();
  if (pending.close < horizon) return settle(pending) ?? never();
  // The last span runs to the end of the look-ahead (open around the clock): its end is unknown.
  const open = clock.instant(pending.open);
  if (open <= at) return always();
  return { within_hours: false, next_open_at: iso(open), hours_change_at: iso(open) };
}

interface Span {
  /** Local milliseconds. */
  open: number;
  close: number;
}

/** One local date's open intervals, in local milliseconds, unless the date is closed. */
function localSpans(hours: BusinessHours, closed: Set<string>, day: number): Span[] {
  if (closed.has(new Date(day).toISOString().slice(0, 10))) return [];
  const weekday: Weekday = BY_UTC_DAY[new Date(day).getUTCDay()] ?? "mon";
  const intervals: OpeningInterval[] = hours.weekly[weekday] ?? [];
  return intervals.map(({ open, close }) => ({
    open: day + minutes(open) * MINUTE,
    close: day + minutes(close) * MINUTE,
  }));
}

function minutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function iso(instant: number): string {
  return new Date(instant).toISOString();
}

interface WallClock {
  /** The wall clock at an instant, in local milliseconds (whole seconds). */
  local(instant: number): number;
  /**
   * When a wall-clock time happens: the first instant showing it (the repeated hour's first
   * pass), or, when the clock skips it, the first instant after the skip.
   */
  instant(local: number): number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): WallClock {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formats.set(timeZone, format);
  }
  const parts = format;

  function local(instant: number): number {
    const field = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
    for (const { type, value } of parts.formatToParts(new Date(instant))) {
      if (type in field) field[type as keyof typeof field] = Number(value);
    }
    return Date.UTC(field.year, field.month - 1, field.day, field.hour, field.minute, field.second);
  }
  const offset = (instant: number) => local(instant) - Math.floor(instant / 1000) * 1000;

  function instant(wall: number): number {
    // Offsets change at most once within a day of a time (DST, or a zone's rare redefinition),
    // so the offsets a day before and a day after are the only ones that can apply.
    const before = offset(wall - DAY);
    const later = offset(wall + DAY);
    const found = [...new Set([before, later])]
      .map((o) => wall - o)
      .filter((t) => local(t) === wall)
      .sort((a, b) => a - b);
    if (found.length > 0) return found[0]!;
    // Skipped: the clock jumps over it, so it "happens" at the jump. Between the two candidate
    // instants the offset changes once; find the first whole minute past the change.
    let lo = wall - Math.max(before, later); // shows an earlier wall time
    let hi = wall - Math.min(before, later); // shows a later one
    lo = Math.floor(lo / MINUTE);
    hi = Math.ceil(hi / MINUTE);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (local(mid * MINUTE) >= wall) hi = mid;
      else lo = mid;
    }
    return hi * MINUTE;
  }

  return { local, instant };
}

/**
 * What is wrong with a schedule, in words for the owner who wrote it; null when nothing is. The
 * shape (strings, arrays) is the route schema's to check; this checks what a schema cannot.
 */
export function businessHoursProblem(hours: BusinessHours): string | null {
  if (!isKnownZone(hours.time_zone)) return `time_zone "${hours.time_zone}" is not a known IANA time zone`;
  for (const key of Object.keys(hours.weekly)) {
    if (!(WEEKDAYS as readonly string[]).includes(key))
      return `weekly: "${key}" is not one of ${WEEKDAYS.join(", ")}`;
  }
  for (const day of WEEKDAYS) {
    const intervals = hours.weekly[day] ?? [];
    if (!Array.isArray(intervals)) return `weekly.${day} must be a list of intervals`;
    let previousClose = -1;
    for (const [i, interval] of intervals.entries()) {
      const at = `weekly.${day}[${i}]`;
      if (typeof interval?.open !== "string" || !TIME.test(interval.open))
        return `${at}.open must be "HH:MM" (00:00–23:59)`;
      if (typeof interval.close !== "string" || !(TIME.test(interval.close) || interval.close === "24:00")) {
        return `${at}.close must be "HH:MM" (00:01–24:00)`;
      }
      const open = minutes(interval.open);
      const close = minutes(interval.close);
      if (close <= open) return `${at}: close (${interval.close}) must be after open (${interval.open})`;
      if (open < previousClose)
        return `${at} starts before the interval before it ends: list intervals in order, without overlap`;
      previousClose = close;
    }
  }
  if (!Array.isArray(hours.closed_days)) return "closed_days must be a list of dates";
  if (hours.closed_days.length > MAX_CLOSED_DAYS) return `closed_days: at most ${MAX_CLOSED_DAYS} dates`;
  for (const date of hours.closed_days) {
    if (typeof date !== "string" || !isDate(date))
      return `closed_days: "${String(date)}" is not a date (YYYY-MM-DD)`;
  }
  return null;
}

function isKnownZone(zone: unknown): boolean {
  if (typeof zone !== "string" || !ZONE_NAME.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0–99 to 1900–1999; those are not a site's holidays anyway.
  return (
    year >= 1970 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}
