/**
 * The HTTP side: a Fastify app with cookies, CORS for the allowed origins, the origin check on
 * cookie-authenticated writes, uniform JSON errors, and the route modules. The WebSocket upgrade
 * is not here: server.ts hands `upgrade` events to cable/.
 */
import fastifyCookie from "@fastify/cookie";
import fastifyCors from "@fastify/cors";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { handleError, handleNotFound } from "./errors.js";
import type { ProxyTrust } from "./clientAddress.js";
import type { OriginPolicy } from "./origins.js";
import type { RouteDeps } from "./routeDeps.js";
import { agentRoutes } from "./routes/agents.js";
import { authRoutes } from "./routes/auth.js";
import { conversationRoutes } from "./routes/conversations.js";
import { healthRoutes } from "./routes/health.js";
import { inboxRoutes } from "./routes/inbox.js";
import { pushRoutes } from "./routes/push.js";
import { uploadRoutes } from "./routes/uploads.js";
import { widgetRoutes } from "./routes/widget.js";

export const MAX_BODY_BYTES = 64 * 1024;
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface HttpAppOptions extends RouteDeps {
  logger: Logger;
  origins: OriginPolicy;
  /** TRUST_PROXY's rule (clientAddress.ts), so request.ip is the address the cable sees too. */
  trustProxy: ProxyTrust;
  cookieSecret: string;
}

export async function buildHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  // Typed as Fastify's logger so route modules take a plain FastifyInstance.
  const logger: FastifyBaseLogger = options.logger;
  const app = Fastify({
    loggerInstance: logger,
    trustProxy: options.trustProxy,
    bodyLimit: MAX_BODY_BYTES,
    // One debug line per request (onResponse below) instead of two info lines.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  app.decorateRequest("agentSession", null);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);

  await app.register(fastifyCookie, { secret: options.cookieSecret });
  await app.register(fastifyCors, {
    origin: (origin, callback) => callback(null, origin !== undefined && options.origins.isListed(origin)),
    credentials: true,
    methods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
    maxAge: 600,
  });

  // A cross-site page may not make a logged-in agent's browser change anything (CSRF), and may
  // not log anyone in either.
  app.addHook("onRequest", async (request, reply) => {
    if (UNSAFE_METHODS.has(request.method) && !options.origins.allows(request.raw)) {
      request.log.info({ origin: request.headers.origin }, "write from a foreign origin refused");
      return reply.code(403).send({ error: "Origin not allowed" });
    }
  });
  app.addHook("onResponse", async (request, reply) => {
    request.log.debug(
      { method: request.method, path: request.routeOptions.url, status: reply.statusCode, ms: reply.elapsedTime },
      "request",
    );
  });

  healthRoutes(app, options);
  authRoutes(app, options);
  conversationRoutes(app, options);
  agentRoutes(app, options);
  pushRoutes(app, options);
  await uploadRoutes(app, options);
  widgetRoutes(app, options);
  await inboxRoutes(app, options);
  return app;
}
