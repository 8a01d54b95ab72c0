/**
 * Personal API tokens, managed in the inbox with the login cookie only (a token never makes or
 * lists tokens): create (the token is in this one answer), list (owners may list everyone's),
 * revoke (own; owners anyone's).
 */
import type { FastifyInstance } from "fastify";
import {
  MAX_API_TOKEN_DAYS,
  MAX_API_TOKEN_NAME_LENGTH,
  type ApiTokensResponse,
  type CreateApiTokenRequest,
  type CreatedApiTokenResponse,
} from "@parley/protocol";
import { toWireApiToken } from "../../chat/apiTokens.js";
import * as validate from "../../chat/validate.js";
import { currentSession, requireAgent } from "../agentAuth.js";
import { auditActorOf } from "../auditActor.js";
import type { RouteDeps } from "../routeDeps.js";
import { idParams, noBody, noQuery } from "../schemas.js";

const createBody = {
  type: "object",
  required: ["name", "scope"],
  properties: {
    name: { type: "string", maxLength: MAX_API_TOKEN_NAME_LENGTH * 4 },
    scope: { type: "string", enum: ["read", "read_write"] },
    expires_in_days: { type: ["integer", "null"], minimum: 1, maximum: MAX_API_TOKEN_DAYS },
  },
  additionalProperties: false,
} as const;

const listQuery = {
  type: "object",
  properties: { all: { type: "string", enum: ["true", "false"] } },
  additionalProperties: false,
} as const;

export function apiTokenRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { apiTokens, sessions } = deps.chat;
  const guard = { preHandler: requireAgent(sessions) };

  app.get<{ Querystring: { all?: string } }>(
    "/api_tokens",
    { ...guard, schema: { querystring: listQuery } },
    async (request): Promise<ApiTokensResponse> => {
      const tokens = await apiTokens.list(currentSession(request).agent, request.query.all === "true");
      return { api_tokens: tokens.map(toWireApiToken) };
    },
  );

  app.post<{ Body: CreateApiTokenRequest }>(
    "/api_tokens",
    { ...guard, schema: { querystring: noQuery, body: createBody } },
    async (request, reply) => {
      const { token, stored } = await apiTokens.create(currentSession(request).agent, {
        name: request.body.name,
        scope: request.body.scope,
        expiresInDays: request.body.expires_in_days,
      });
      // Never the token, nor its hint.
      await deps.chat.audit.record({
        action: "api_token.created",
        actor: auditActorOf(request),
        targetType: "api_token",
        targetId: stored.id,
        details: { name: stored.name, scope: stored.scope },
      });
      const body: CreatedApiTokenResponse = { api_token: toWireApiToken(stored), token };
      return reply.code(201).header("cache-control", "no-store").send(body);
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/api_tokens/:id",
    { ...guard, schema: { params: idParams, querystring: noQuery, body: noBody } },
    async (request) => {
      const id = validate.id(request.params.id, "id");
      await apiTokens.revoke(currentSession(request).agent, id);
      await deps.chat.audit.record({
        action: "api_token.revoked",
        actor: auditActorOf(request),
        targetType: "api_token",
        targetId: id,
      });
      return { ok: true };
    },
  );
}
