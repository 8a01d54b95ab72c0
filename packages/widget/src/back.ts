/**
 * "Back Monday at 9:00": when a closed team opens again (`next_open_at`), in the visitor's
 * language but in the team's time zone, since that is the zone the business hours are set in.
 * Today, tomorrow and weekdays are the team's too. When the visitor's clock would show another
 * time at that instant, the zone is named ("… (Central European Time)"), so nobody is left to
 * guess whose 9:00 it is.
 */
import { fill, type Locale, type Strings } from "./i18n.js";

const DAY = 86_400_000;

export function backLine(
  iso: string,
  zone: string | null | undefined,
  now: number,
  locale: Locale,
  strings: Strings,
  here: string = Intl.DateTimeFormat().resolvedOptions().timeZone,
): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "";
  const parts = (options: Intl.DateTimeFormatOptions, when = at, timeZone = zone || here) =>
    new Intl.DateTimeFormat(locale, { timeZone, ...options }).formatToParts(when);
  const part = (list: Intl.DateTimeFormatPart[], type: string): string =>
    list.find((p) => p.type === type)?.value ?? "";
  try {
    parts({});
  } catch {
    // A zone this browser does not know: the visitor's own clock is the next best.
    zone = null;
  }
  /** Days since 1970 of the calendar date `when` falls on, in the team's zone. */
  const date = (when: number): number => {
    const list = parts({ year: "numeric", month: "numeric", day: "numeric" }, when);
    return Date.UTC(+part(list, "year"), +part(list, "month") - 1, +part(list, "day")) / DAY;
  };
  // H:MM everywhere (09:00 in English, 9 h 00 in French are both worse in one line).
  const clock = (timeZone?: string): string => {
    const list = parts({ hour: "numeric", minute: "2-digit", hourCycle: "h23" }, at, timeZone);
    return `${+part(list, "hour")}:${part(list, "minute")}`;
  };
  const days = date(at) - date(now);
  const time = clock();
  const line =
    days < 1
      ? fill(strings.backToday, { time })
      : days < 2
        ? fill(strings.backTomorrow, { time })
        : fill(strings.backOn, {
            day: new Intl.DateTimeFormat(locale, {
              timeZone: zone || here,
              weekday: "long",
              ...(days < 7 ? {} : { month: "long", day: "numeric" }),
            }).format(at),
            time,
          });
  return zone && clock(here) !== time
    ? line + fill(strings.zone, { zone: zoneName(zone, at, locale) })
    : line;
}

/** "Central European Time", "heure d’Europe centrale", "中央ヨーロッパ時間"; "GMT+1" in older browsers. */
function zoneName(timeZone: string, at: number, locale: Locale): string {
  for (const timeZoneName of ["longGeneric", "short"] as const) {
    try {
      const list = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName }).formatToParts(at);
      return list.find((p) => p.type === "timeZoneName")?.value ?? timeZone;
    } catch {
      /* a browser without generic names: the offset */
    }
  }
  return timeZone;
}
