/**
 * "Back Monday at 9:00": when a closed team opens again (`next_open_at`), in the visitor's
 * language but in the team's time zone, since that is the zone the business hours are set in.
 * Today, tomorrow and weekdays are the team's too. When the visitor's clock would show another
 * time at that instant, the zone is named ("… (Central European Time)"), so nobody is left to
 * guess whose 9:00 it is.
 */
import { fill, type Locale } from "./locale.js";

/** `{time}` is H:MM, `{day}` a weekday or a date; `zone` follows a time in another zone than the visitor's. */
export interface BackWords {
  backToday: string;
  backTomorrow: string;
  backOn: string;
  zone: string;
}

export function backLine(
  iso: string,
  zone: string | null | undefined,
  now: number,
  locale: Locale,
  strings: BackWords,
  here: string = Intl.DateTimeFormat().resolvedOptions().timeZone,
): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "";
  try {
    new Intl.DateTimeFormat(locale, { timeZone: zone || here });
  } catch {
    // A zone this browser does not know: the visitor's own clock is the next best.
    zone = null;
  }
  const say = (when: number, options: Intl.DateTimeFormatOptions, timeZone = zone || here): string =>
    new Date(when).toLocaleString(locale, { timeZone, ...options });
  // The calendar date, as days, in the team's zone ("2025-03-10" from the en-CA format).
  const date = (when: number): number =>
    Date.parse(new Date(when).toLocaleDateString("en-CA", { timeZone: zone || here })) / 86_400_000;
  // H:MM in every language: the same digits, and "09:00" or "9 h 00" read worse in one line.
  const clock = (timeZone?: string): string =>
    say(at, { hour: "numeric", minute: "2-digit", hourCycle: "h23" }, timeZone).replace(/^0(?=\d)/, "");
  const days = date(at) - date(now);
  const time = clock();
  const line = fill(days < 1 ? strings.backToday : days < 2 ? strings.backTomorrow : strings.backOn, {
    time,
    day: say(at, days < 7 ? { weekday: "long" } : { weekday: "long", month: "long", day: "numeric" }),
  });
  if (!zone || clock(here) === time) return line;
  // "Central European Time", "heure d’Europe centrale", "中央ヨーロッパ時間"; browsers without
  // generic names (before 2022) get the offset, "GMT+1".
  let name: string | undefined;
  for (const timeZoneName of ["longGeneric", "short"] as const) {
    try {
      name ??= new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName })
        .formatToParts(at)
        .find((part) => part.type === "timeZoneName")?.value;
    } catch {
      /* not known to this browser: the next */
    }
  }
  return line + fill(strings.zone, { zone: name ?? zone });
}
