/**
 * Reconnect delays: exponential, capped, with jitter so that thousands of widgets dropped by one
 * server restart do not all come back in the same millisecond.
 *
 * Two ceilings. Most outages are deploys and restarts that last seconds, and a visitor should be
 * back within a second of the server: for the first `quickForMs` of an outage the delay stays
 * under `quickMaxMs`. A failed attempt against a server that is down costs both sides next to
 * nothing (a refused TCP connection). Past that, the server is really gone and every open tab of
 * every site hammering it each second would help no one: the ceiling rises to `maxMs`. The
 * browser's own signals (network back, tab shown again) still retry at once (see consumer.ts).
 */
export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** Ceiling of the delay once the outage has lasted `quickForMs`, before jitter. */
  maxMs: number;
  /** Ceiling of the delay while the outage is younger than `quickForMs`, before jitter. */
  quickMaxMs?: number;
  quickForMs?: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  baseMs: 250,
  maxMs: 30_000,
  quickMaxMs: 1000,
  quickForMs: 60_000,
};

/**
 * The wait before retry number `attempt` (0 for the first retry) of an outage that began
 * `downForMs` ago: a uniform draw in [0, step), where step is base·2^attempt capped at the ceiling
 * of the moment ("full jitter"). Equal jitter ([step/2, step)) bunched a restart's visitors into
 * the upper half of each step; full jitter spreads them over all of it, so the server sees half
 * the peak of reconnects per second for the same outage (bench/reliability/storm.ts).
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
  downForMs = 0,
): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const quick = options.quickMaxMs !== undefined && downForMs < (options.quickForMs ?? 0);
  const ceiling = quick ? Math.min(options.quickMaxMs ?? options.maxMs, options.maxMs) : options.maxMs;
  const capped = Math.min(ceiling, options.baseMs * 2 ** exponent);
  return Math.floor(capped * random());
}
