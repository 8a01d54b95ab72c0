/**
 * HEAD is answered by the GET route of the same path, as it always was, without a HEAD route of
 * its own for each GET.
 *
 * Fastify's default (`exposeHeadRoutes`) adds a HEAD route beside every GET route: 48 routes
 * more in the router, each compiling its own matchers, some 13 ms of a restart's 330 on one core
 * (docs/benchmarks.md, twenty-fourth pass). Here a HEAD request is routed as a GET instead: Node
 * made its response when the request arrived and marked it bodiless then (`res._hasBody`, set
 * from the method in ServerResponse's constructor), so the GET's status and headers go out,
 * `content-length` included, and its body does not. A HEAD without a GET route is a 404, as
 * before. (`app.inject` does not go through the server, so a HEAD injected in a test finds no
 * route: test/http/headRequests.test.ts sends real requests.)
 */
import type { IncomingMessage } from "node:http";
import type { FastifyInstance } from "fastify";

function routeHeadAsGet(request: IncomingMessage): void {
  if (request.method === "HEAD") request.method = "GET";
}

/** Call on an app built with `exposeHeadRoutes: false`, before it listens. */
export function answerHeadWithGetRoutes(app: FastifyInstance): void {
  // Before Fastify's own listener, which routes the request.
  app.server.prependListener("request", routeHeadAsGet);
}
