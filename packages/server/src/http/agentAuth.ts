/**
 * Route guards for agents. The session cookie is looked up on the server on every request, so a
 * logout or a removed agent takes effect at once; so is an API token (revoked: the next request
 * fails). Tokens work only on the routes that take them (`requireAgentOrToken`): never on
 * sessions, agents, passwords, push subscriptions or tokens themselves.
 */
import { API_TOKEN_PREFIX } from "@parley/protocol";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Chat } from "../chat/chat.js";
import type { ResolvedToken } from "../chat/apiTokens.js";
import type { ActiveSession, Sessions } from "../chat/sessions.js";
import type { StoredAgent } from "../store/store.js";
import { SESSION_COOKIE } from "./sessionCookie.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the guards below for routes that need an agent (cookie). */
    agentSession: ActiveSession | null;
    /** Set by requireAgentOrToken when a program called with an API token. */
    apiToken: ResolvedToken | null;
  }
}

/** The request's `Authorization: Bearer prl_…` token, if it carries one. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "");
  return match?.[1]?.startsWith(API_TOKEN_PREFIX) ? match[1] : undefined;
}

/**
 * The agent behind the request's cookie. A request from a page that only embeds the widget is
 * anonymous whatever cookie it carries: the browser attaches the agent's cookie, the page did
 * not earn it (originGuard.ts).
 */
export async function resolveSession(
  sessions: Sessions,
  request: FastifyRequest,
): Promise<ActiveSession | undefined> {
  if (request.originAccess !== "agent") return undefined;
  const raw = request.cookies[SESSION_COOKIE];
  if (raw === undefined) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return undefined;
  return sessions.resolve(unsigned.value);
}

/** A logged-in agent (cookie); API tokens are refused here. */
export function requireAgent(sessions: Sessions, role?: "owner") {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (bearerToken(request) !== undefined) {
      await reply.code(403).send({ error: "API tokens cannot be used here: log in to the inbox" });
      return;
    }
    const active = await resolveSession(sessions, request);
    if (active === undefined) {
      await reply.code(401).send({ error: "Not logged in" });
      return;
    }
    if (role === "owner" && active.agent.role !== "owner") {
      await reply.code(403).send({ error: "Only an owner can do this" });
      return;
    }
    request.agentSession = active;
  };
}

/**
 * A logged-in agent, or a program with one of an agent's API tokens: reads need any scope,
 * writes `read_write`; each token's requests are limited per minute.
 */
export function requireAgentOrToken(chat: Pick<Chat, "sessions" | "apiTokens" | "takeApiRequest">) {
  const cookieGuard = requireAgent(chat.sessions);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const presented = bearerToken(request);
    if (presented === undefined) return cookieGuard(request, reply);
    const resolved = await chat.apiTokens.resolve(presented);
    if (resolved === undefined) {
      await reply
        .code(401)
        .header("www-authenticate", 'Bearer error="invalid_token"')
        .send({ error: "API token is unknown, revoked or expired" });
      return;
    }
    const reading = request.method === "GET" || request.method === "HEAD";
    if (!reading && resolved.token.scope !== "read_write") {
      await reply.code(403).send({ error: "This API token may only read (scope read)" });
      return;
    }
    const allowed = await chat.takeApiRequest(resolved.token.id);
    if (!allowed.ok) {
      const seconds = Math.max(1, Math.ceil(allowed.retryAfterMs / 1000));
      await reply
        .code(429)
        .header("retry-after", String(seconds))
        .send({ error: `Too many requests with this API token, try again in ${seconds} s` });
      return;
    }
    request.apiToken = resolved;
  };
}

/** The agent a guarded route runs for, by cookie or by token. */
export function currentAgent(request: FastifyRequest): StoredAgent {
  const agent = request.agentSession?.agent ?? request.apiToken?.agent;
  if (agent === undefined) throw new Error("route is missing its requireAgent guard");
  return agent;
}

/** The session a cookie-only route runs for (requireAgent ran first). */
export function currentSession(request: FastifyRequest): ActiveSession {
  if (request.agentSession === null) throw new Error("route is missing its requireAgent guard");
  return request.agentSession;
}
