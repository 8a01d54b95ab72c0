/**
 * Exponential backoff with a cap and jitter: the nth retry waits about base·2^(n-1), never more
 * than the cap. The jitter (the upper half of the window) keeps many jobs that failed together,
 * say when a push service had a short outage, from all coming back in the same second.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 5 * 60 * 1000 };

/** The wait before retry number `attempt` (1 for the first retry). */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
