/**
 * The two limits on what one visitor or one address may do. Both live in this process's memory;
 * a cluster shares them through Redis instead (same interface). Keys are swept when idle so a
 * flood of one-off visitors does not grow memory without bound.
 */

export type LimitResult = { ok: true } | { ok: false; retryAfterMs: number };

/** In memory (one node) or in Redis (a cluster, cluster/redisLimiter.ts). */
export interface Limiter {
  take(key: string, nowMs: number): LimitResult | Promise<LimitResult>;
  /** Forgets keys that are back at their full allowance. */
  sweep(nowMs: number): void;
  /** Gives a key its full allowance back (e.g. after a successful login). */
  forget(key: string): void | Promise<void>;
  /** Gives back the one event a `take` counted, when it turns out not to count (a correct password). */
  refund(key: string): void | Promise<void>;
}

/** `perMinute` sends a minute on average, with bursts of up to `perMinute` after a quiet spell. */
export class TokenBucketLimiter implements Limiter {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();
  private readonly refillPerMs: number;

  constructor(private readonly perMinute: number) {
    this.refillPerMs = perMinute / 60_000;
  }

  take(key: string, nowMs: number): LimitResult {
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, updatedMs: nowMs };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (nowMs - bucket.updatedMs) * this.refillPerMs);
    bucket.updatedMs = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / this.refillPerMs) };
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }

  refund(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket !== undefined) bucket.tokens = Math.min(this.perMinute, bucket.tokens + 1);
  }

  sweep(nowMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (nowMs - bucket.updatedMs) * this.refillPerMs >= this.perMinute) this.buckets.delete(key);
    }
  }
}

/** At most `limit` events per key in any window of `windowMs` (exact, by keeping their times). */
export class SlidingWindowLimiter implements Limiter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  take(key: string, nowMs: number): LimitResult {
    if (this.limit === 0) return { ok: true };
    const times = (this.events.get(key) ?? []).filter((t) => t > nowMs - this.windowMs);
    if (times.length >= this.limit) {
      this.events.set(key, times);
      return { ok: false, retryAfterMs: times[0]! + this.windowMs - nowMs };
    }
    times.push(nowMs);
    this.events.set(key, times);
    return { ok: true };
  }

  forget(key: string): void {
    this.events.delete(key);
  }

  refund(key: string): void {
    // The latest time: which event goes does not matter, only how many are left.
    this.events.get(key)?.pop();
  }

  sweep(nowMs: number): void {
    for (const [key, times] of this.events) {
      if (times.every((t) => t <= nowMs - this.windowMs)) this.events.delete(key);
    }
  }
}
