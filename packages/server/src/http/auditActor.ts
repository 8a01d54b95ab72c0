/**
 * Who a request acts as, for the audit log (protocol §17): the agent behind the session cookie
 * (id and name), or the API token a program called with, with the request's address
 * (request.ip follows TRUST_PROXY). Routes record after the action succeeded.
 */
import type { FastifyRequest } from "fastify";
import type { AuditActor } from "../chat/auditTrail.js";

export function auditActorOf(request: FastifyRequest): AuditActor {
  const ip = request.ip;
  if (request.apiToken !== null) return { kind: "token", tokenId: request.apiToken.token.id, ip };
  const agent = request.agentSession?.agent;
  if (agent !== undefined) return { kind: "agent", agentId: agent.id, agentName: agent.name, ip };
  return { kind: "anonymous", ip };
}
