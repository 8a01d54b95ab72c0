/** Login, logout and "who am I" for agents (protocol §7). */
import type { FastifyInstance } from "fastify";
import type { LoginRequest } from "@parley/protocol";
import { toWireAgent } from "../../chat/team.js";
import { currentAgent, currentSession, requireAgent, requireAgentOrToken } from "../agentAuth.js";
import { auditActorOf } from "../auditActor.js";
import { tooManyLoginAttempts } from "../errors.js";
import type { RouteDeps } from "../routeDeps.js";
import { noBody, noQuery } from "../schemas.js";
import { clearSessionCookie, setSessionCookie } from "../sessionCookie.js";

const loginBody = {
  type: "object",
  required: ["username", "password"],
  properties: {
    username: { type: "string", minLength: 1, maxLength: 64 },
    password: { type: "string", minLength: 1, maxLength: 256 },
  },
} as const;

export function authRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { chat } = deps;

  app.post<{ Body: LoginRequest }>(
    "/auth/login",
    { schema: { querystring: noQuery, body: loginBody } },
    async (request, reply) => {
      const { username } = request.body;
      const checked = await chat.passwords.check(request.ip, username, request.body.password);
      switch (checked.kind) {
        case "too_many":
          // The name tried, never the password; `limited`: refused before it was checked.
          await chat.audit.record({
            action: "auth.login_failed",
            actor: auditActorOf(request),
            details: { username, limited: true },
          });
          return tooManyLoginAttempts(reply, checked.retryAfterMs);
        case "wrong":
          request.log.info({ username }, "login failed");
          await chat.audit.record({
            action: "auth.login_failed",
            actor: auditActorOf(request),
            details: { username, limited: false },
          });
          return reply.code(401).send({ error: "Invalid credentials" });
        case "ok": {
          const { secret } = await chat.sessions.start(checked.agent.id);
          setSessionCookie(request, reply, secret);
          request.log.info({ agentId: checked.agent.id }, "login");
          await chat.audit.record({
            action: "auth.login",
            actor: {
              kind: "agent",
              agentId: checked.agent.id,
              agentName: checked.agent.name,
              ip: request.ip,
            },
          });
          return { ok: true, agent: toWireAgent(checked.agent, deps.chat.availability) };
        }
      }
    },
  );

  app.delete(
    "/auth/logout",
    { preHandler: requireAgent(chat.sessions), schema: { querystring: noQuery, body: noBody } },
    async (request, reply) => {
      await chat.sessions.end(currentSession(request).session.id);
      clearSessionCookie(request, reply);
      await chat.audit.record({ action: "auth.logout", actor: auditActorOf(request) });
      return { ok: true };
    },
  );

  // Who a cookie or an API token acts as.
  app.get(
    "/auth/me",
    { preHandler: requireAgentOrToken(chat), config: { apiTokens: true }, schema: { querystring: noQuery } },
    async (request) => ({
      agent: toWireAgent(currentAgent(request), deps.chat.availability),
    }),
  );
}
