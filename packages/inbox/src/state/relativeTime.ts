/** Times as the list shows them: "now", "5 min", "3 h", "yesterday", then a short date. */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function relativeTime(iso: string, nowMs: number, locale?: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "";
  // A server clock a little ahead of ours still reads "now" rather than "-1 min".
  const elapsed = Math.max(0, nowMs - at);
  if (elapsed < MINUTE) return "now";
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h`;
  if (elapsed < 2 * DAY) return "yesterday";
  const sameYear = new Date(at).getFullYear() === new Date(nowMs).getFullYear();
  return new Date(at).toLocaleDateString(
    locale,
    sameYear ? { month: "short", day: "numeric" } : { dateStyle: "medium" },
  );
}

/** A full timestamp for tooltips and the visitor details. */
export function fullTime(iso: string, locale?: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at)
    ? ""
    : new Date(at).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

/** "Now", "5 min ago", "3 h ago", "yesterday", "Mar 2": a relative time that reads as a sentence. */
export function sinceText(iso: string, nowMs: number, locale?: string): string {
  const relative = relativeTime(iso, nowMs, locale);
  if (relative === "now") return "Now";
  return / (min|h)$/.test(relative) ? `${relative} ago` : relative;
}
