/**
 * Route guards for agents: the session cookie is looked up on the server on every request, so
 * a logout or a removed agent takes effect at once.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ActiveSession, Sessions } from "../chat/sessions.js";
import { SESSION_COOKIE } from "./sessionCookie.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the guards below for routes that need an agent. */
    agentSession: ActiveSession | null;
  }
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

export function requireAgent(sessions: Sessions, role?: "owner") {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
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

/** The session a guarded route runs for (requireAgent ran first). */
export function currentSession(request: FastifyRequest): ActiveSession {
  if (request.agentSession === null) throw new Error("route is missing its requireAgent guard");
  return request.agentSession;
}
