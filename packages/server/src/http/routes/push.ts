/** The seed's push subscription rows: an agent's browser registers where to be notified. */
import type { FastifyInstance } from "fastify";
import { currentSession, requireAgent } from "../agentAuth.js";
import type { RouteDeps } from "../routeDeps.js";

const subscriptionBody = {
  type: "object",
  required: ["endpoint", "p256dh", "auth"],
  properties: {
    endpoint: { type: "string", minLength: 1, maxLength: 2048 },
    p256dh: { type: "string", minLength: 1, maxLength: 256, pattern: "^[A-Za-z0-9_=+/-]+$" },
    auth: { type: "string", minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_=+/-]+$" },
  },
} as const;

const endpointBody = {
  type: "object",
  required: ["endpoint"],
  properties: { endpoint: { type: "string", minLength: 1, maxLength: 2048 } },
} as const;

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

export function pushRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const guard = requireAgent(deps.chat.sessions);

  app.post<{ Body: { endpoint: string; p256dh: string; auth: string } }>(
    "/push_subscriptions",
    { preHandler: guard, schema: { body: subscriptionBody } },
    async (request, reply) => {
      const { endpoint, p256dh, auth } = request.body;
      if (!isHttpsUrl(endpoint)) return reply.code(400).send({ error: "endpoint must be an https URL" });
      await deps.store.savePushSubscription({
        agentId: currentSession(request).agent.id,
        endpoint,
        p256dh,
        auth,
        at: new Date().toISOString(),
      });
      return reply.code(201).send({ ok: true });
    },
  );

  app.delete<{ Body: { endpoint: string } }>(
    "/push_subscriptions",
    { preHandler: guard, schema: { body: endpointBody } },
    async (request) => {
      await deps.store.deletePushSubscription(currentSession(request).agent.id, request.body.endpoint);
      return { ok: true };
    },
  );
}
