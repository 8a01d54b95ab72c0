/**
 * The team over REST: owners add and remove agents and reset passwords; every agent may list
 * the team (to assign a conversation) and change their own name and password.
 */
import type { FastifyInstance } from "fastify";
import { invalid } from "../../chat/errors.js";
import { toWireAgent } from "../../chat/team.js";
import * as validate from "../../chat/validate.js";
import { currentSession, requireAgent, requireAgentOrToken } from "../agentAuth.js";
import { auditActorOf } from "../auditActor.js";
import { tooManyLoginAttempts } from "../errors.js";
import type { RouteDeps } from "../routeDeps.js";
import { idParams, noBody, noQuery } from "../schemas.js";

/** Upper bounds only: team.ts says what a username, password and name must be. */
const USERNAME = { type: "string", maxLength: 64 } as const;
const PASSWORD = { type: "string", maxLength: 256 } as const;
/** Before control and formatting characters are stripped: room for some of those. */
const NAME = { type: "string", maxLength: 256 } as const;

const newAgentBody = {
  type: "object",
  required: ["username", "password"],
  properties: {
    username: USERNAME,
    password: PASSWORD,
    name: NAME,
    role: { type: "string", enum: ["owner", "agent"] },
  },
  additionalProperties: false,
} as const;

const passwordBody = {
  type: "object",
  required: ["password"],
  properties: { password: PASSWORD },
  additionalProperties: false,
} as const;

/** A PATCH without a body changes nothing. */
const selfBody = {
  type: ["object", "null"],
  properties: { name: NAME, password: PASSWORD, current_password: PASSWORD },
  additionalProperties: false,
} as const;

export function agentRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { team, sessions, audit } = deps.chat;
  const anyAgent = { preHandler: requireAgent(sessions) };
  const ownerOnly = { preHandler: requireAgent(sessions, "owner") };

  // Programs may list the team (to assign); managing it takes an owner's login.
  const anyAgentOrToken = { preHandler: requireAgentOrToken(deps.chat), config: { apiTokens: true } };
  app.get("/agents", { ...anyAgentOrToken, schema: { querystring: noQuery } }, async () => ({
    agents: (await team.list()).map((agent) => toWireAgent(agent, deps.chat.availability)),
  }));

  app.post<{ Body: { username: string; password: string; name?: string; role?: string } }>(
    "/agents",
    { ...ownerOnly, schema: { querystring: noQuery, body: newAgentBody } },
    async (request, reply) => {
      const added = await team.add(request.body);
      await audit.record({
        action: "agent.created",
        actor: auditActorOf(request),
        targetType: "agent",
        targetId: added.id,
        details: { username: added.username, name: added.name, role: added.role },
      });
      return reply.code(201).send({ agent: toWireAgent(added, deps.chat.availability) });
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/agents/:id",
    { ...ownerOnly, schema: { params: idParams, querystring: noQuery, body: noBody } },
    async (request) => {
      const id = validate.id(request.params.id, "id");
      if (id === currentSession(request).agent.id) throw invalid("You cannot remove yourself");
      const removed = await team.remove(id);
      await audit.record({
        action: "agent.deleted",
        actor: auditActorOf(request),
        targetType: "agent",
        targetId: id,
        details: { username: removed.username, name: removed.name },
      });
      return { ok: true };
    },
  );

  app.put<{ Params: { id: string }; Body: { password: string } }>(
    "/agents/:id/password",
    { ...ownerOnly, schema: { params: idParams, querystring: noQuery, body: passwordBody } },
    async (request) => {
      const id = validate.id(request.params.id, "id");
      await team.setPassword(id, request.body.password);
      await audit.record({
        action: "agent.password_changed",
        actor: auditActorOf(request),
        targetType: "agent",
        targetId: id,
      });
      return { ok: true };
    },
  );

  app.patch<{ Body: { name?: string; password?: string; current_password?: string } | null }>(
    "/agents/me",
    { ...anyAgent, schema: { querystring: noQuery, body: selfBody } },
    async (request, reply) => {
      const { agent } = currentSession(request);
      const body = request.body ?? {};
      let updated = agent;
      if (body.name !== undefined) {
        updated = await team.rename(agent.id, body.name);
        await audit.record({
          action: "agent.updated",
          actor: auditActorOf(request),
          targetType: "agent",
          targetId: agent.id,
          details: { fields: ["name"], name: updated.name },
        });
      }
      if (body.password !== undefined) {
        // Under the login limits: a stolen session must not become a way to guess the password.
        const checked = await deps.chat.passwords.check(request.ip, agent.username, body.current_password);
        if (checked.kind === "too_many") return tooManyLoginAttempts(reply, checked.retryAfterMs);
        if (checked.kind === "wrong") return reply.code(403).send({ error: "Current password is wrong" });
        // Ends every session of this agent, this one too: the inbox logs in again.
        await team.setPassword(agent.id, body.password);
        await audit.record({
          action: "agent.password_changed",
          actor: auditActorOf(request),
          targetType: "agent",
          targetId: agent.id,
        });
      }
      return { agent: toWireAgent(updated, deps.chat.availability) };
    },
  );
}
