/**
 * Liveness for people (/health) and readiness for the proxy (/up: can we reach the database, and
 * is there room to write in the storage folder?). A 503 says which, so an operator reading the
 * proxy's health log knows where to look.
 */
import type { FastifyInstance } from "fastify";
import type { HealthResponse } from "@parley/protocol";
import { freeBytes, MIN_FREE_BYTES } from "../../files/freeSpace.js";
import type { RouteDeps } from "../routeDeps.js";
import { noQuery } from "../schemas.js";

/**
 * A ping that hangs (a Postgres behind a dead route, a pool full of stuck queries) counts as
 * unreachable after this: a health check that never answers helps no one.
 */
const PING_TIMEOUT_MS = 3000;

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function healthRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get("/health", { schema: { querystring: noQuery } }, async (): Promise<HealthResponse> => ({
    status: "ok",
    uptime: Math.floor((Date.now() - deps.startedAtMs) / 1000),
  }));

  app.get("/up", { schema: { querystring: noQuery } }, async (request, reply) => {
    try {
      await withTimeout(deps.store.ping(), PING_TIMEOUT_MS);
    } catch (error) {
      request.log.warn({ err: error }, "database unreachable");
      return reply.code(503).send({ error: "Database unreachable" });
    }
    const free = await freeBytes(deps.storageDir).catch((error: unknown) => {
      request.log.warn({ err: error }, "storage folder unreadable");
      return 0;
    });
    if (free < MIN_FREE_BYTES) {
      request.log.warn({ freeBytes: free }, "storage full");
      return reply
        .code(503)
        .send({ error: `Storage full: ${Math.floor(free / 1024)} KiB free in the storage folder` });
    }
    return { status: "up" };
  });
}
