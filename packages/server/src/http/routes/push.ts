/**
 * Web push for agents: the VAPID public key the inbox subscribes with, and the seed's
 * subscription rows. Only endpoints of real push services are stored (push/endpoints.ts), so the
 * server can never be made to POST to an address of an agent's choosing.
 */
import type { FastifyInstance } from "fastify";
import { subscriptionKeyProblem } from "../../push/subscriptionKeys.js";
import { MAX_PUSH_SUBSCRIPTIONS_PER_AGENT } from "../../push/subscriptionLimit.js";
import { currentSession, requireAgent } from "../agentAuth.js";
import type { RouteDeps } from "../routeDeps.js";
import { noQuery } from "../schemas.js";

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

export function pushRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const guard = requireAgent(deps.chat.sessions);

  // Public on purpose: it is the public half of the pair, and every subscriber holds it anyway.
  app.get("/push/vapid_public_key", { schema: { querystring: noQuery } }, async () => ({
    public_key: deps.push.publicKey,
  }));

  app.post<{ Body: { endpoint: string; p256dh: string; auth: string } }>(
    "/push_subscriptions",
    { preHandler: guard, schema: { querystring: noQuery, body: subscriptionBody } },
    async (request, reply) => {
      const { endpoint, p256dh, auth } = request.body;
      if (!deps.push.endpoints.allows(endpoint)) {
        return reply.code(400).send({ error: "endpoint must be an https URL of a browser push service" });
      }
      const keyProblem = subscriptionKeyProblem(p256dh, auth);
      if (keyProblem !== undefined) return reply.code(400).send({ error: keyProblem });
      await deps.store.savePushSubscription({
        agentId: currentSession(request).agent.id,
        endpoint,
        p256dh,
        auth,
        at: new Date().toISOString(),
        keepNewest: MAX_PUSH_SUBSCRIPTIONS_PER_AGENT,
      });
      return reply.code(201).send({ ok: true });
    },
  );

  app.delete<{ Body: { endpoint: string } }>(
    "/push_subscriptions",
    { preHandler: guard, schema: { querystring: noQuery, body: endpointBody } },
    async (request) => {
      await deps.store.deletePushSubscription(currentSession(request).agent.id, request.body.endpoint);
      return { ok: true };
    },
  );
}
