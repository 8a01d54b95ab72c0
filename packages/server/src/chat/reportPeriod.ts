/**
 * A report's period in an IANA time zone (protocol §18): where each local day and each local
 * hour begins in UTC. The database groups rows by these ranges, so a day across a daylight-saving
 * change has 23 or 25 hours and a half-hour zone's days start at :30, exactly as a clock there.
 *
 * Offsets come from Intl. A zone's offset changes rarely (twice a year at most in practice), so
 * the period is cut into stretches of one offset, found by sampling every few hours and
 * narrowing each change to the minute; local times then convert by arithmetic.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Two offset changes are never this close in any zone, so sampling this often finds each one. */
const SAMPLE_MS = 6 * HOUR_MS;
/** More than any zone's offset (−12 to +14 hours): the stretches cover the period's edges. */
const EDGE_MS = 15 * HOUR_MS;

/** A UTC range `[start, end)` as ISO times, with what it groups as. */
export interface TimeRange {
  key: number;
  start: string;
  end: string;
}

/** A stretch of UTC time `[from, to)` with one offset from UTC (ms to add to get local time). */
interface Stretch {
  from: number;
  to: number;
  offset: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when Intl knows the zone. */
export function knownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset at a UTC instant, in ms (local = utc + offset). */
export function offsetAt(timeZone: string, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second);
  return local - Math.floor(utcMs / 1000) * 1000;
}

function stretches(timeZone: string, fromMs: number, toMs: number): Stretch[] {
  const found: Stretch[] = [];
  let start = fromMs;
  let offset = offsetAt(timeZone, fromMs);
  for (let probe = fromMs + SAMPLE_MS; ; probe += SAMPLE_MS) {
    const at = Math.min(probe, toMs);
    const next = offsetAt(timeZone, at);
    if (next !== offset) {
      // The change is in (at − SAMPLE_MS, at]: narrow it to the minute.
      let low = at - SAMPLE_MS;
      let high = at;
      while (high - low > MINUTE_MS) {
        const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
        if (offsetAt(timeZone, middle) === offset) low = middle;
        else high = middle;
      }
      found.push({ from: start, to: high, offset });
      start = high;
      offset = next;
    }
    if (at >= toMs) break;
  }
  found.push({ from: start, to: toMs, offset });
  return found;
}

/**
 * The period's clock: local midnight or hour (as a "local ms", Date.UTC of the wall time) to the
 * first UTC instant whose local time is at or after it. A wall time skipped by a change (spring
 * forward) maps to the change; one that happens twice (fall back) to its first occurrence.
 */
class ZoneClock {
  private readonly stretches: Stretch[];

  constructor(timeZone: string, firstLocal: number, lastLocal: number) {
    this.stretches = stretches(timeZone, firstLocal - EDGE_MS, lastLocal + EDGE_MS);
  }

  utcOf(local: number): number {
    for (const { from, to, offset } of this.stretches) {
      if (to + offset <= local) continue;
      return Math.max(from, local - offset);
    }
    throw new Error("local time beyond the period");
  }
}

/** `YYYY-MM-DD` to Date.UTC of that day's midnight; NaN when it is not a real date. */
export function dayMs(date: string): number {
  const match = /^(\d{4})-(\d\d)-(\d\d)$/.exec(date);
  if (match === null) return Number.NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  return back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day
    ? ms
    : Number.NaN;
}

export function dateOf(localMs: number): string {
  return new Date(localMs).toISOString().slice(0, 10);
}

const iso = (ms: number) => new Date(ms).toISOString();

export interface ReportPeriod {
  /** Every local day, in order: key = its index from 0. */
  days: TimeRange[];
  /** Every local hour that exists: key = weekday (0 Monday) × 24 + hour. */
  hours: TimeRange[];
  /** Local dates of `days`, by key. */
  dates: string[];
}

/** The days and hours of `since`…`until` (both `YYYY-MM-DD`, valid, in order) in the zone. */
export function reportPeriod(since: string, until: string, timeZone: string): ReportPeriod {
  const first = dayMs(since);
  const afterLast = dayMs(until) + DAY_MS;
  const clock = new ZoneClock(timeZone, first, afterLast);
  const days: TimeRange[] = [];
  const dates: string[] = [];
  for (let local = first, key = 0; local < afterLast; local += DAY_MS, key++) {
    days.push({ key, start: iso(clock.utcOf(local)), end: iso(clock.utcOf(local + DAY_MS)) });
    dates.push(dateOf(local));
  }
  const hours: TimeRange[] = [];
  let start = clock.utcOf(first);
  for (let local = first; local < afterLast; local += HOUR_MS) {
    const end = clock.utcOf(local + HOUR_MS);
    // An hour skipped by a spring-forward change is empty: nothing was created in it.
    if (end > start) {
      const wall = new Date(local);
      const weekday = (wall.getUTCDay() + 6) % 7;
      hours.push({ key: weekday * 24 + wall.getUTCHours(), start: iso(start), end: iso(end) });
    }
    start = end;
  }
  return { days, hours, dates };
}
