/**
 * Every check of an agent's password goes through here, under the login limits, so that no
 * route is a way around them: logging in, and the current password of a password change.
 *
 * Three limits (their numbers are in limitRules.ts), in a window of 15 minutes:
 * - per address: 100 attempts, whatever the usernames (one machine trying many accounts);
 * - per address and username: 10 attempts, cleared by a correct password;
 * - per username from every address: 50 failed attempts, so guesses spread over many addresses
 *   (a botnet) still run out. A correct password gives its attempt back, so the agent's own
 *   logins never use this up; once it is reached the right password waits as well, since the
 *   server cannot tell the agent from the guesser (sessions already open are not affected).
 */
import type { StoredAgent } from "../store/store.js";
import { loginLimiters } from "./limitRules.js";
import { memoryLimiter, type LimitResult, type Limiter } from "./rateLimits.js";
import type { Team } from "./team.js";

export interface LoginLimiters {
  perAddress: Limiter;
  /** Keyed by address and username. */
  perAccount: Limiter;
  perUsername: Limiter;
}

/** The limits in this process's memory (one node; a cluster keeps them in Redis). */
export function memoryLoginLimiters(): LoginLimiters {
  return loginLimiters(memoryLimiter);
}

export type PasswordCheck =
  { kind: "ok"; agent: StoredAgent } | { kind: "wrong" } | { kind: "too_many"; retryAfterMs: number };

export class PasswordChecks {
  constructor(
    private readonly team: Team,
    private readonly limits: LoginLimiters,
  ) {}

  /** Checks `password` for `username`, on behalf of a client at `address`. */
  async check(address: string, username: string, password: unknown): Promise<PasswordCheck> {
    const name = username.toLowerCase();
    const account = `${address}|${name}`;
    const limited = await this.take(address, account, name);
    if (!limited.ok) return { kind: "too_many", retryAfterMs: limited.retryAfterMs };
    const agent = await this.team.verifyLogin(username, password);
    if (agent === null) return { kind: "wrong" };
    await this.limits.perAccount.forget(account);
    await this.limits.perUsername.refund(name);
    return { kind: "ok", agent };
  }

  /** In order, stopping at the first refusal: a refused address does not use up the username's allowance. */
  private async take(address: string, account: string, name: string): Promise<LimitResult> {
    for (const [limiter, key] of [
      [this.limits.perAddress, address],
      [this.limits.perAccount, account],
      [this.limits.perUsername, name],
    ] as const) {
      const result = await limiter.take(key);
      if (!result.ok) return result;
    }
    return { ok: true };
  }
}
