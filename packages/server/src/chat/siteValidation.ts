/**
 * What a site's fields must be (protocol §10), beyond the types the routes' JSON schemas check:
 * each function takes the parsed value and returns it clean (normalised, sorted, deduplicated)
 * or throws a ChatError whose text the owner sees.
 */
import {
  MAX_SITE_NAME_LENGTH,
  MAX_SITE_ORIGINS,
  WEEKDAYS,
  type BusinessHours,
  type OpeningInterval,
  type PrechatField,
  type PrechatSettings,
  type SiteWidgetSettings,
} from "@parley/protocol";
import { businessHoursProblem } from "./businessHours.js";
import { invalid } from "./errors.js";
import { plainName, plainText } from "./validate.js";

export const MAX_TITLE_LENGTH = 80;
export const MAX_GREETING_LENGTH = 500;
export const MAX_LAUNCHER_LABEL_LENGTH = 40;
/** Protocol §18: a privacy notice URL is at most this long. */
export const MAX_PRIVACY_URL_LENGTH = 2000;
/** More than any week needs (a split shift is 2); a bound against a runaway list. */
export const MAX_INTERVALS_PER_DAY = 12;
export const MAX_CLOSED_DAYS = 366;
/** More than any team; a bound against a runaway list. */
export const MAX_SITE_AGENTS = 1000;

const COLOR = /^#(?:[0-9a-fA-F]{3}){1,2}$/;
const TIME = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function siteName(value: string): string {
  const name = plainName(value);
  if (name === "") throw invalid("Site name is empty");
  if ([...name].length > MAX_SITE_NAME_LENGTH)
    throw invalid(`Site name too long (max ${MAX_SITE_NAME_LENGTH})`);
  return name;
}

/**
 * An origin as browsers send it (`scheme://host[:port]`, the default port left out, the host in
 * lower case), from what an owner pastes: a trailing slash is forgiven, a path is not (it
 * would suggest the origin check looks at paths).
 */
export function origin(value: string): string {
  const entry = value.trim();
  const url = URL.canParse(entry) ? new URL(entry) : undefined;
  if (
    url === undefined ||
    (url.protocol !== "http:" && url.protocol !== "https:") ||
    url.username !== "" ||
    url.password !== "" ||
    url.search !== "" ||
    url.hash !== "" ||
    url.pathname !== "/" ||
    /[?#]/.test(entry)
  ) {
    throw invalid(`"${entry}" is not an origin like https://www.example.com (no path)`);
  }
  return url.origin;
}

export function allowedOrigins(values: readonly string[]): string[] {
  if (values.length > MAX_SITE_ORIGINS) throw invalid(`At most ${MAX_SITE_ORIGINS} origins per site`);
  return [...new Set(values.map(origin))];
}

/** One line of text, 1..max characters. */
function line(value: string, field: string, max: number): string {
  const clean = plainName(value);
  if (clean === "") throw invalid(`${field} is empty`);
  if ([...clean].length > max) throw invalid(`${field} too long (max ${max})`);
  return clean;
}

/** Text that may keep its line breaks, 1..max characters. */
function paragraph(value: string, field: string, max: number): string {
  const clean = plainText(value).trim();
  if (clean === "") throw invalid(`${field} is empty`);
  if ([...clean].length > max) throw invalid(`${field} too long (max ${max})`);
  return clean;
}

export function locale(value: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    if (canonical !== undefined) return canonical;
  } catch {
    // said below
  }
  throw invalid(`"${value}" is not a language tag like en or pt-BR`);
}

/** The given widget fields, checked; absent ones stay absent (the caller merges). */
export function widgetSettings(patch: Partial<SiteWidgetSettings>): Partial<SiteWidgetSettings> {
  const clean: Partial<SiteWidgetSettings> = {};
  if (patch.title !== undefined) clean.title = line(patch.title, "Title", MAX_TITLE_LENGTH);
  if (patch.greeting !== undefined)
    clean.greeting = paragraph(patch.greeting, "Greeting", MAX_GREETING_LENGTH);
  if (patch.away_message !== undefined)
    clean.away_message = paragraph(patch.away_message, "Away message", MAX_GREETING_LENGTH);
  if (patch.color !== undefined) {
    if (!COLOR.test(patch.color)) throw invalid(`Color must be #rgb or #rrggbb, got "${patch.color}"`);
    clean.color = patch.color.toLowerCase();
  }
  if (patch.position !== undefined) {
    if (patch.position !== "left" && patch.position !== "right")
      throw invalid("Position must be left or right");
    clean.position = patch.position;
  }
  if (patch.launcher_label !== undefined) {
    const label = patch.launcher_label === null ? "" : plainName(patch.launcher_label);
    if ([...label].length > MAX_LAUNCHER_LABEL_LENGTH)
      throw invalid(`Launcher label too long (max ${MAX_LAUNCHER_LABEL_LENGTH})`);
    clean.launcher_label = label === "" ? null : label;
  }
  if (patch.locale !== undefined) clean.locale = patch.locale === null ? null : locale(patch.locale);
  if (patch.prechat !== undefined) clean.prechat = prechat(patch.prechat);
  if (patch.ask_rating !== undefined) clean.ask_rating = patch.ask_rating === true;
  if (patch.privacy_url !== undefined) clean.privacy_url = privacyUrl(patch.privacy_url);
  return clean;
}

/**
 * The site's privacy notice (protocol §18): https only, because the widget puts it in an href on
 * someone else's page (no `javascript:`, no plain http), and no user:password (a link that
 * carries credentials leaks them to every visitor). Blank is none.
 */
export function privacyUrl(value: string | null): string | null {
  const entry = value === null ? "" : value.trim();
  if (entry === "") return null;
  if (entry.length > MAX_PRIVACY_URL_LENGTH)
    throw invalid(`privacy_url too long (max ${MAX_PRIVACY_URL_LENGTH})`);
  const url = URL.canParse(entry) ? new URL(entry) : undefined;
  if (url === undefined || url.protocol !== "https:" || url.hostname === "")
    throw invalid("privacy_url must be an https URL like https://www.example.com/privacy");
  if (url.username !== "" || url.password !== "")
    throw invalid("privacy_url must not carry a user name or password");
  // The normalised spelling, which must still fit (a host in Unicode grows in punycode).
  if (url.href.length > MAX_PRIVACY_URL_LENGTH)
    throw invalid(`privacy_url too long (max ${MAX_PRIVACY_URL_LENGTH})`);
  return url.href;
}

const PRECHAT_FIELDS: readonly PrechatField[] = ["off", "optional", "required"];

/** The pre-chat form (protocol §12): both fields, each off, optional or required. */
export function prechat(value: PrechatSettings): PrechatSettings {
  for (const field of ["name", "email"] as const) {
    if (!PRECHAT_FIELDS.includes(value[field]))
      throw invalid(`prechat.${field} must be off, optional or required`);
  }
  return { name: value.name, email: value.email };
}

export function timeZone(value: string): string {
  try {
    // Throws a RangeError for a zone the runtime does not know; gives the canonical spelling.
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw invalid(`"${value}" is not a time zone like Europe/Berlin`);
  }
}

function minutes(time: string): number {
  if (time === "24:00") return 24 * 60;
  const match = TIME.exec(time);
  if (match === null) return Number.NaN;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** A day's intervals: each `open` before its `close`, sorted by `open`, none overlapping. */
function dayIntervals(day: string, intervals: readonly OpeningInterval[]): OpeningInterval[] {
  if (intervals.length > MAX_INTERVALS_PER_DAY)
    throw invalid(`${day}: at most ${MAX_INTERVALS_PER_DAY} opening intervals`);
  const sorted = intervals
    .map(({ open, close }) => {
      const from = minutes(open);
      const to = minutes(close);
      if (Number.isNaN(from) || open === "24:00")
        throw invalid(`${day}: "${open}" is not an opening time like 09:00`);
      if (Number.isNaN(to)) throw invalid(`${day}: "${close}" is not a closing time like 17:30 or 24:00`);
      if (to <= from) throw invalid(`${day}: ${open}–${close} closes before it opens`);
      return { open, close, from, to };
    })
    .sort((a, b) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (current.from < previous.to)
      throw invalid(`${day}: ${previous.open}–${previous.close} overlaps ${current.open}–${current.close}`);
  }
  return sorted.map(({ open, close }) => ({ open, close }));
}

function closedDay(value: string): string {
  const match = DATE.exec(value);
  const [year, month, day] = match === null ? [] : match.slice(1).map(Number);
  const date =
    year === undefined || month === undefined || day === undefined
      ? undefined
      : new Date(Date.UTC(year, month - 1, day));
  if (date === undefined || date.toISOString().slice(0, 10) !== value)
    throw invalid(`"${value}" is not a date like 2025-12-24`);
  return value;
}

export function businessHours(hours: BusinessHours | null): BusinessHours | null {
  if (hours === null) return null;
  const weekly: BusinessHours["weekly"] = {};
  for (const day of Object.keys(hours.weekly)) {
    if (!(WEEKDAYS as readonly string[]).includes(day))
      throw invalid(`"${day}" is not a weekday (${WEEKDAYS.join(", ")})`);
  }
  for (const day of WEEKDAYS) {
    const intervals = hours.weekly[day];
    if (intervals !== undefined && intervals.length > 0) weekly[day] = dayIntervals(day, intervals);
  }
  if (hours.closed_days.length > MAX_CLOSED_DAYS) throw invalid(`At most ${MAX_CLOSED_DAYS} closed days`);
  const closedDays = [...new Set(hours.closed_days.map(closedDay))].sort();
  const clean = { time_zone: timeZone(hours.time_zone), weekly, closed_days: closedDays };
  // What businessHours.ts computes with must pass its own check too (a zone it cannot name, say).
  const problem = businessHoursProblem(clean);
  if (problem !== null) throw invalid(problem);
  return clean;
}

/** Distinct agent ids, those of `known` only; null (every agent) stays null. */
export function agentIds(ids: readonly number[] | null, known: ReadonlySet<number>): number[] | null {
  if (ids === null) return null;
  if (ids.length > MAX_SITE_AGENTS) throw invalid(`At most ${MAX_SITE_AGENTS} agents per site`);
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  const unknown = unique.filter((id) => !known.has(id));
  if (unknown.length > 0) throw invalid(`No agent with id ${unknown.join(", ")}`);
  return unique;
}
