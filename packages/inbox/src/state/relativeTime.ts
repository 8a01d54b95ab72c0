import { formatLocale as currentLocale, messages } from "../i18n/index.js";

/** Times as the list shows them: "now", "5 min", "3 h", "yesterday", then a short date. */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function relativeTime(iso: string, nowMs: number, locale: string = currentLocale()): string {
  const t = messages();
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "";
  // A server clock a little ahead of ours still reads "now" rather than "-1 min".
  const elapsed = Math.max(0, nowMs - at);
  if (elapsed < MINUTE) return t.timeNow;
  if (elapsed < HOUR) return t.timeMinutes(Math.floor(elapsed / MINUTE));
  if (elapsed < DAY) return t.timeHours(Math.floor(elapsed / HOUR));
  if (elapsed < 2 * DAY) return t.timeYesterday;
  const sameYear = new Date(at).getFullYear() === new Date(nowMs).getFullYear();
  return new Date(at).toLocaleDateString(
    locale,
    sameYear ? { month: "short", day: "numeric" } : { dateStyle: "medium" },
  );
}

/** A full timestamp for tooltips and the visitor details. */
export function fullTime(iso: string, locale: string = currentLocale()): string {
  const at = Date.parse(iso);
  return Number.isNaN(at)
    ? ""
    : new Date(at).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

/** "Now", "5 min ago", "3 h ago", "yesterday", "Mar 2": a relative time that reads as a sentence. */
export function sinceText(iso: string, nowMs: number, locale: string = currentLocale()): string {
  const t = messages();
  const at = Date.parse(iso);
  const elapsed = Math.max(0, nowMs - at);
  if (elapsed < MINUTE) return t.timeNowSentence;
  if (elapsed < HOUR) return t.timeMinutesAgo(Math.floor(elapsed / MINUTE));
  if (elapsed < DAY) return t.timeHoursAgo(Math.floor(elapsed / HOUR));
  return relativeTime(iso, nowMs, locale);
}

/** "Last seen 5 min ago" reads with "ago"; the same sentence form as sinceText, but lower case "now". */
export function agoText(iso: string, nowMs: number, locale: string = currentLocale()): string {
  const at = Date.parse(iso);
  if (Math.max(0, nowMs - at) < MINUTE) return messages().timeNow;
  return sinceText(iso, nowMs, locale);
}
