/**
 * How a limit counts, the same on one node (memory) and across a cluster (Redis,
 * cluster/redisLimiter.ts): both are rate-limiter-flexible limiters behind one adapter, so only
 * where the counts are kept differs. Which limits exist, and their numbers, are in limitRules.ts.
 */
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

export type LimitResult = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * `points` events per key in a window of `windowSeconds` that opens with the key's first event
 * (a fixed window: all the points may be used at once). `name` keeps limiters' keys apart.
 */
export interface LimitRule {
  name: string;
  /** 0: no limit. */
  points: number;
  windowSeconds: number;
}

/**
 * Contract (rateLimits.contract.ts, run on memory and on Redis):
 * - `take` counts one event for `key` and allows at most the rule's points per window; the
 *   check and the count are one atomic step, so concurrent takes never exceed it.
 * - A refusal's `retryAfterMs` is when the window ends: a take then succeeds, none before.
 * - `refund` gives back one event (never above the full allowance); `forget` the whole allowance.
 * - Keys are counted apart, and so are limiters of different rules.
 */
export interface Limiter {
  take(key: string): Promise<LimitResult>;
  /** Gives back the one event a `take` counted, when it turns out not to count (a correct password). */
  refund(key: string): Promise<void>;
  /** Gives a key its full allowance back (e.g. after a successful login). */
  forget(key: string): Promise<void>;
}

const ALLOWED: LimitResult = { ok: true };

/** A Limiter over a rate-limiter-flexible limiter; undefined: the rule has no limit (0 points). */
export class FlexibleLimiter implements Limiter {
  constructor(private readonly limiter: RateLimiterAbstract | undefined) {}

  async take(key: string): Promise<LimitResult> {
    if (this.limiter === undefined) return ALLOWED;
    try {
      await this.limiter.consume(key);
      return ALLOWED;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        return { ok: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
      throw rejection;
    }
  }

  async refund(key: string): Promise<void> {
    if (this.limiter === undefined) return;
    const after = await this.limiter.reward(key, 1);
    // A reward on a key whose window ended starts a new window below zero: more than the full
    // allowance. Nothing counted is the same as no key.
    if (after.consumedPoints <= 0) await this.limiter.delete(key);
  }

  async forget(key: string): Promise<void> {
    await this.limiter?.delete(key);
  }
}

/** The counts in this process's memory (one node). */
export function memoryLimiter(rule: LimitRule): Limiter {
  if (rule.points === 0) return new FlexibleLimiter(undefined);
  return new FlexibleLimiter(
    new RateLimiterMemory({ keyPrefix: rule.name, points: rule.points, duration: rule.windowSeconds }),
  );
}
