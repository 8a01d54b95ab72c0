/**
 * Agents' personal API tokens: a program acts as the agent who made the token, over REST only,
 * within the token's scope. The token is random and shown once; the store keeps its SHA-256, so
 * a copy of the database opens nothing. Revoking deletes the row: the next request fails.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  API_TOKEN_PREFIX,
  MAX_API_TOKEN_DAYS,
  MAX_API_TOKEN_NAME_LENGTH,
  type ApiToken,
} from "@parley/protocol";
import type { StoredAgent, StoredApiToken, Store } from "../store/store.js";
import { ChatError, invalid, notFound } from "./errors.js";
import { plainName } from "./validate.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** last_used_at is written at most this often per token, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;
/** Characters shown to tell tokens apart: the prefix and four of the random part. */
const HINT_LENGTH = API_TOKEN_PREFIX.length + 4;
const TOKEN_PATTERN = new RegExp(`^${API_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);

export interface ResolvedToken {
  token: StoredApiToken;
  agent: StoredAgent;
}

export function apiTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function toWireApiToken(token: StoredApiToken): ApiToken {
  return {
    id: token.id,
    agent_id: token.agentId,
    name: token.name,
    scope: token.scope,
    hint: token.hint,
    created_at: token.createdAt,
    expires_at: token.expiresAt,
    last_used_at: token.lastUsedAt,
  };
}

export class ApiTokens {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  async create(
    agent: StoredAgent,
    input: { name: unknown; scope: unknown; expiresInDays: unknown },
  ): Promise<{ token: string; stored: StoredApiToken }> {
    const name = typeof input.name === "string" ? plainName(input.name) : "";
    if (name.length === 0 || name.length > MAX_API_TOKEN_NAME_LENGTH) {
      throw invalid(`name must be 1-${MAX_API_TOKEN_NAME_LENGTH} characters`);
    }
    if (input.scope !== "read" && input.scope !== "read_write") {
      throw invalid("scope must be read or read_write");
    }
    const days = input.expiresInDays;
    if (
      days !== undefined &&
      days !== null &&
      (typeof days !== "number" || !Number.isInteger(days) || days < 1 || days > MAX_API_TOKEN_DAYS)
    ) {
      throw invalid(`expires_in_days must be a whole number of days, 1-${MAX_API_TOKEN_DAYS}`);
    }
    const now = this.now();
    const token = API_TOKEN_PREFIX + randomBytes(32).toString("base64url");
    const stored = await this.store.createApiToken({
      agentId: agent.id,
      name,
      scope: input.scope,
      tokenHash: apiTokenHash(token),
      hint: token.slice(0, HINT_LENGTH),
      createdAt: now.toISOString(),
      expiresAt: typeof days === "number" ? new Date(now.getTime() + days * DAY_MS).toISOString() : null,
    });
    return { token, stored };
  }

  /** The token and its agent, or undefined when it is unknown, revoked or expired. */
  async resolve(presented: string): Promise<ResolvedToken | undefined> {
    if (!TOKEN_PATTERN.test(presented)) return undefined;
    const token = await this.store.findApiTokenByHash(apiTokenHash(presented));
    if (token === undefined) return undefined;
    const now = this.now();
    if (token.expiresAt !== null && token.expiresAt <= now.toISOString()) return undefined;
    const agent = await this.store.getAgent(token.agentId);
    if (agent === undefined) return undefined;
    const lastUsed = token.lastUsedAt === null ? 0 : Date.parse(token.lastUsedAt);
    if (now.getTime() - lastUsed >= TOUCH_INTERVAL_MS) {
      await this.store.touchApiToken(token.id, now.toISOString());
    }
    return { token, agent };
  }

  /** An agent's own tokens; an owner may ask for everyone's. */
  async list(agent: StoredAgent, everyone: boolean): Promise<StoredApiToken[]> {
    if (everyone && agent.role !== "owner")
      throw new ChatError("forbidden", "Only an owner can see every token");
    return this.store.listApiTokens(everyone ? undefined : agent.id);
  }

  /** An agent revokes their own tokens; an owner anyone's. */
  async revoke(agent: StoredAgent, id: number): Promise<void> {
    const token = await this.store.getApiToken(id);
    if (token === undefined || (token.agentId !== agent.id && agent.role !== "owner")) {
      throw notFound("API token");
    }
    await this.store.deleteApiToken(id);
  }
}
