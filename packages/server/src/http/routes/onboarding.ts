/** The inbox's first-run checklist (protocol §14): `GET /onboarding`, for any agent. */
import type { FastifyInstance } from "fastify";
import { onboardingState } from "../../chat/onboarding.js";
import { requireAgentOrToken } from "../agentAuth.js";
import type { OriginPolicy } from "../origins.js";
import type { RouteDeps } from "../routeDeps.js";
import { noQuery } from "../schemas.js";

export function onboardingRoutes(app: FastifyInstance, deps: RouteDeps & { origins: OriginPolicy }): void {
  app.get(
    "/onboarding",
    {
      preHandler: requireAgentOrToken(deps.chat),
      config: { apiTokens: true },
      schema: { querystring: noQuery },
    },
    // The server's own origins are those agents use: pages there are the demo and the preview.
    async (request) => onboardingState(deps.store, deps.origins.agentOriginsOf(request.raw)),
  );
}
