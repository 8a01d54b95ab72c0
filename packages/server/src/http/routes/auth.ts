/** Login, logout and "who am I" for agents (protocol §7). */
import type { FastifyInstance } from "fastify";
import type { LoginRequest } from "@parley/protocol";
import { toWireAgent } from "../../chat/team.js";
import { currentSession, requireAgent } from "../agentAuth.js";
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
  const { chat, loginLimits } = deps;

  app.post<{ Body: LoginRequest }>("/auth/login", { schema: { querystring: noQuery, body: loginBody } }, async (request, reply) => {
    const nowMs = Date.now();
    const accountKey = `${request.ip}|${request.body.username.toLowerCase()}`;
    for (const check of [
      await loginLimits.perAddress.take(request.ip, nowMs),
      await loginLimits.perAccount.take(accountKey, nowMs),
    ]) {
      if (!check.ok) {
        const seconds = Math.ceil(check.retryAfterMs / 1000);
        return reply
          .code(429)
          .header("retry-after", String(seconds))
          .send({ error: `Too many login attempts, try again in ${seconds} s` });
      }
    }
    const agent = await chat.team.verifyLogin(request.body.username, request.body.password);
    if (agent === null) {
      request.log.info({ username: request.body.username }, "login failed");
      return reply.code(401).send({ error: "Invalid credentials" });
    }
    await loginLimits.perAccount.forget(accountKey);
    const { secret } = await chat.sessions.start(agent.id);
    setSessionCookie(request, reply, secret);
    request.log.info({ agentId: agent.id }, "login");
    return { ok: true, agent: toWireAgent(agent) };
  });

  app.delete(
    "/auth/logout",
    { preHandler: requireAgent(chat.sessions), schema: { querystring: noQuery, body: noBody } },
    async (request, reply) => {
      await chat.sessions.end(currentSession(request).session.id);
      clearSessionCookie(request, reply);
      return { ok: true };
    },
  );

  app.get("/auth/me", { preHandler: requireAgent(chat.sessions), schema: { querystring: noQuery } }, async (request) => ({
    agent: toWireAgent(currentSession(request).agent),
  }));
}
