/** The audit log over REST (protocol §17): owners read who did what, newest first. */
import { AUDIT_ACTIONS, type AuditAction, type AuditLogResponse } from "@parley/protocol";
import type { FastifyInstance } from "fastify";
import { AUDIT_PAGE_MAX, type AuditListing } from "../../chat/auditLog.js";
import { invalid } from "../../chat/errors.js";
import * as validate from "../../chat/validate.js";
import { requireAgent } from "../agentAuth.js";
import type { RouteDeps } from "../routeDeps.js";
import { idString } from "../schemas.js";

const isoTime = { type: "string", minLength: 10, maxLength: 40 } as const;

const listQuery = {
  type: "object",
  properties: {
    action: { type: "string", enum: [...AUDIT_ACTIONS] },
    agent_id: idString,
    since: isoTime,
    until: isoTime,
    before: idString,
    limit: { type: "string", pattern: "^[1-9][0-9]{0,2}$" },
  },
  additionalProperties: false,
} as const;

interface ListQuery {
  action?: AuditAction;
  agent_id?: string;
  since?: string;
  until?: string;
  before?: string;
  limit?: string;
}

/** An ISO 8601 time as the store keeps them (UTC, milliseconds), or a clear 400. */
function isoTimeOf(value: string, name: string): string {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d\d-\d\dT/.test(value) || !Number.isFinite(ms))
    throw invalid(`${name} must be an ISO 8601 time`);
  return new Date(ms).toISOString();
}

export function auditLogRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { audit, sessions } = deps.chat;

  app.get<{ Querystring: ListQuery }>(
    "/audit_log",
    { preHandler: requireAgent(sessions, "owner"), schema: { querystring: listQuery } },
    async (request): Promise<AuditLogResponse> => {
      const query = request.query;
      const listing: AuditListing = {};
      if (query.action !== undefined) listing.action = query.action;
      if (query.agent_id !== undefined) listing.agentId = validate.id(query.agent_id, "agent_id");
      if (query.since !== undefined) listing.since = isoTimeOf(query.since, "since");
      if (query.until !== undefined) listing.until = isoTimeOf(query.until, "until");
      if (query.before !== undefined) listing.beforeId = validate.id(query.before, "before");
      if (query.limit !== undefined) {
        const limit = Number(query.limit);
        if (limit > AUDIT_PAGE_MAX) throw invalid(`limit must be 1–${AUDIT_PAGE_MAX}`);
        listing.limit = limit;
      }
      return audit.list(listing);
    },
  );
}
