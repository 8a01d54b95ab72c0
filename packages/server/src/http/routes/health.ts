/** Liveness for people (/health) and readiness for the proxy (/up: can we reach the database?). */
import type { FastifyInstance } from "fastify";
import type { HealthResponse } from "@parley/protocol";
import type { RouteDeps } from "../routeDeps.js";
import { noQuery } from "../schemas.js";

export function healthRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get("/health", { schema: { querystring: noQuery } }, async (): Promise<HealthResponse> => ({
    status: "ok",
    uptime: Math.floor((Date.now() - deps.startedAtMs) / 1000),
  }));

  app.get("/up", { schema: { querystring: noQuery } }, async (request, reply) => {
    try {
      await deps.store.ping();
      return { status: "up" };
    } catch (error) {
      request.log.warn({ err: error }, "database unreachable");
      return reply.code(503).send({ error: "Database unreachable" });
    }
  });
}
