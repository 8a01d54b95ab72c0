/**
 * When to ask for the site's settings again: at `hours_change_at`, the instant the team's
 * business hours open or close (§10). A second after it, so the server's clock is past it too,
 * and up to a few seconds more, so the widgets open on every page do not all ask at once.
 */

/** Timers overflow past 2^31 ms (24.8 days): a change further off is asked about daily until near. */
export const MAX_WAIT_MS = 86_400_000;
/**
 * A change already past by the visitor's clock (one ahead of the server's) or a failed fetch:
 * ask again after this, not in a loop.
 */
export const RETRY_MS = 60_000;
const SETTLE_MS = 1000;
const SPREAD_MS = 4000;

/** Milliseconds until the settings should be fetched again; undefined: never (no hours). */
export function hoursWait(
  iso: string | null | undefined,
  now: number,
  random = Math.random(),
): number | undefined {
  const at = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(at)) return undefined;
  if (at < now) return RETRY_MS;
  return Math.min(at - now + SETTLE_MS + random * SPREAD_MS, MAX_WAIT_MS);
}
