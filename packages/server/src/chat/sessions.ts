/**
 * Agents' sessions, kept on the server so they can be revoked. The cookie carries a random
 * secret; the store keeps only its SHA-256, so a copy of the database opens no session.
 *
 * A session ends in the store first. This process closes its sockets at once; other processes
 * hear a notice on the broker, and each also checks its sockets' sessions against the store
 * every second (sessionWatch.ts), which covers a lost notice and a process on no shared broker
 * (the CLI beside a server on one SQLite file).
 */
import { createHash, randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { Broker } from "../broker/broker.js";
import { Signal } from "../signal.js";
import type { StoredAgent, StoredSession, Store } from "../store/store.js";
import { SESSIONS_STREAM } from "./streams.js";

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface ActiveSession {
  session: StoredSession;
  agent: StoredAgent;
}

export function sessionId(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export interface SessionsContext {
  store: Store;
  broker: Broker;
  logger: Logger;
  now(): Date;
}

export class Sessions {
  /** Each session ended here (logout, revocation, expiry), so this process closes its sockets. */
  readonly ended = new Signal<string>();
  private readonly store: Store;

  constructor(private readonly context: SessionsContext) {
    this.store = context.store;
  }

  private now(): Date {
    return this.context.now();
  }

  /** Returns the secret for the cookie. */
  async start(agentId: number): Promise<{ secret: string; session: StoredSession }> {
    const secret = randomBytes(32).toString("base64url");
    const now = this.now();
    const session: StoredSession = {
      id: sessionId(secret),
      agentId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    };
    await this.store.createSession(session);
    return { secret, session };
  }

  async resolve(secret: string): Promise<ActiveSession | undefined> {
    const session = await this.store.findSession(sessionId(secret));
    if (session === undefined || session.expiresAt <= this.now().toISOString()) return undefined;
    const agent = await this.store.getAgent(session.agentId);
    return agent === undefined ? undefined : { session, agent };
  }

  /** Whether the session still exists and has not expired (checked before each agent action). */
  async isLive(id: string): Promise<boolean> {
    const session = await this.store.findSession(id);
    return session !== undefined && session.expiresAt > this.now().toISOString();
  }

  async end(id: string): Promise<void> {
    await this.store.deleteSession(id);
    this.endedHere([id]);
  }

  async endAllOf(agentId: number): Promise<void> {
    this.endedHere(await this.store.deleteSessionsOfAgent(agentId));
  }

  async endExpired(): Promise<void> {
    this.endedHere(await this.store.deleteExpiredSessions(this.now().toISOString()));
  }

  private endedHere(ids: string[]): void {
    if (ids.length === 0) return;
    for (const id of ids) this.ended.emit(id);
    // Not awaited: a logout must not wait for Redis to come back; the store check covers a lost notice.
    this.context.broker
      .publish(SESSIONS_STREAM, { type: "sessions_ended", session_ids: ids })
      .catch((error: unknown) => {
        this.context.logger.warn({ err: error }, "could not tell other processes about ended sessions");
      });
  }
}
