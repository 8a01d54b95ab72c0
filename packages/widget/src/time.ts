/** Message times as people say them: "now", "5 min", "3 h", then a short date. */
import { fill, type Locale } from "./locale.js";

/** `{n}`: minutes or hours ago. */
export interface TimeWords {
  now: string;
  minutes: string;
  hours: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export function relativeTime(iso: string, now: number, strings: TimeWords, locale: Locale): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "";
  // A clock a little ahead of the visitor's still reads "now" rather than "-1 min".
  const elapsed = Math.max(0, now - at);
  if (elapsed < MINUTE) return strings.now;
  if (elapsed < HOUR) return fill(strings.minutes, { n: Math.floor(elapsed / MINUTE) });
  if (elapsed < 24 * HOUR) return fill(strings.hours, { n: Math.floor(elapsed / HOUR) });
  return new Date(at).toLocaleDateString(locale, { month: "short", day: "numeric" });
}
