/**
 * GET /metrics on the main port, for a Prometheus that scrapes through the proxy: only with
 * METRICS_TOKEN set, and only for `Authorization: Bearer <token>` (compared in constant time).
 * Without a token the route does not exist (404), so nothing about the server leaks by default.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { RouteDeps } from "../routeDeps.js";
import { noQuery } from "../schemas.js";

export function metricsRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const exposition = deps.metrics;
  if (exposition?.token === undefined) return;
  const expected = digest(exposition.token);
  app.get("/metrics", { schema: { querystring: noQuery } }, async (request, reply) => {
    const presented = /^Bearer (\S+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      return reply
        .code(401)
        .header("www-authenticate", 'Bearer realm="metrics"')
        .send({ error: "Metrics need Authorization: Bearer <METRICS_TOKEN>" });
    }
    const body = await exposition.render();
    return reply.header("cache-control", "no-store").type(exposition.contentType).send(body);
  });
}

/** Equal-length inputs for timingSafeEqual, whatever was presented. */
function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
