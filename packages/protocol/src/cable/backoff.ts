/**
 * Reconnect delays: exponential, capped, with jitter so that thousands of widgets dropped by one
 * server restart do not all come back in the same millisecond.
 */
export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** Ceiling of the delay, before jitter. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * The wait before retry number `attempt` (0 for the first retry): base·2^attempt capped at max,
 * then scaled by a random factor in [0.5, 1) ("equal jitter": never zero, never above the cap).
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const capped = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.round(capped * (0.5 + random() / 2));
}
