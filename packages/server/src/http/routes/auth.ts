/** Login, logout and "who am I" for agents (protocol §7). */
import type { FastifyInstance } from "fastify";
import type { LoginRequest } from "@parley/protocol";
import { toWireAgent } from "../../chat/team.js";
import { currentAgent, currentSession, requireAgent, requireAgentOrToken } from "../agentAuth.js";
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
      const checked = await chat.passwords.check(request.ip, request.body.username, request.body.password);
      switch (checked.kind) {
        case "too_many":
          return tooManyLoginAttempts(reply, checked.retryAfterMs);
        case "wrong":
          request.log.info({ username: request.body.username }, "login failed");
          return reply.code(401).send({ error: "Invalid credentials" });
        case "ok": {
          const { secret } = await chat.sessions.start(checked.agent.id);
          setSessionCookie(request, reply, secret);
          request.log.info({ agentId: checked.agent.id }, "login");
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
