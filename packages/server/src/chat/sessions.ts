/**
 * Agents' sessions, kept on the server so they can be revoked. The cookie carries a random
 * secret; the store keeps only its SHA-256, so a copy of the database opens no session.
 */
import { createHash, randomBytes } from "node:crypto";
import type { StoredAgent, StoredSession, Store } from "../store/store.js";

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface ActiveSession {
  session: StoredSession;
  agent: StoredAgent;
}

export function sessionId(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export class Sessions {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    /** Called with each ended session's id, to close the sockets it opened. */
    private readonly onEnded: (sessionId: string) => void,
  ) {}

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

  async end(id: string): Promise<void> {
    await this.store.deleteSession(id);
    this.onEnded(id);
  }

  async endAllOf(agentId: number): Promise<void> {
    for (const id of await this.store.deleteSessionsOfAgent(agentId)) this.onEnded(id);
  }

  async endExpired(): Promise<void> {
    for (const id of await this.store.deleteExpiredSessions(this.now().toISOString())) this.onEnded(id);
  }
}
