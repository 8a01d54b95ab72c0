/**
 * The origin policy (origins.ts) applied to every HTTP request:
 * - the session cookie counts only for `agent` access (agentAuth.ts reads `originAccess`);
 * - writes: from a widget origin only on the routes the widget calls, from a foreign origin
 *   never (CSRF; a write from a widget origin would otherwise be a page acting as its visitor's
 *   logged-in agent), unless an API token authenticates it (agentAuth.ts): a page on another
 *   site cannot attach one, so a token needs no CSRF check, and the cookie is ignored there;
 * - CORS: with credentials for agent origins; without credentials, and only on the widget's
 *   routes, for widget origins; none for anyone else.
 */
import fastifyCors, { type FastifyCorsOptions } from "@fastify/cors";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { bearerToken } from "./agentAuth.js";
import type { PageOrigin } from "../chat/sites.js";
import type { OriginAccess, OriginPolicy } from "./origins.js";

declare module "fastify" {
  interface FastifyRequest {
    /** What this request's Origin may do, set first thing by the guard. */
    originAccess: OriginAccess;
  }
  interface FastifyContextConfig {
    /** The widget calls this route from the sites that embed it, as an anonymous visitor. */
    widgetRoute?: boolean;
    /** Programs may call this route with an API token (agentAuth.ts's requireAgentOrToken). */
    apiTokens?: boolean;
    /**
     * (§16) Anyone may write here from anywhere: a link from an email that mail clients POST to
     * (RFC 8058 one-click unsubscribe). The signed token in the URL is the only authority, and
     * no cookie is read.
     */
    anyOrigin?: boolean;
  }
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const CORS: FastifyCorsOptions = { methods: "GET,HEAD,POST,PUT,PATCH,DELETE", maxAge: 600 };

export async function guardOrigins(app: FastifyInstance, policy: OriginPolicy): Promise<void> {
  // A preflight is routed to CORS's OPTIONS catch-all, so the route it asks about is looked up
  // here by method and path. The widget's routes have fixed paths.
  const widgetRoutes = new Set<string>();
  app.addHook("onRoute", (route) => {
    if (route.config?.widgetRoute !== true) return;
    for (const method of [route.method].flat()) {
      widgetRoutes.add(`${method} ${route.url}`);
      // HEAD is answered by the GET route (headRequests.ts), which has no HEAD route beside it.
      if (method === "GET") widgetRoutes.add(`HEAD ${route.url}`);
    }
  });
  const isWidgetRoute = (request: FastifyRequest): boolean => {
    if (request.method !== "OPTIONS") return request.routeOptions.config.widgetRoute === true;
    const asked = request.headers["access-control-request-method"];
    return (
      typeof asked === "string" && widgetRoutes.has(`${asked.toUpperCase()} ${request.url.split("?")[0]}`)
    );
  };

  app.decorateRequest("originAccess", "foreign");
  app.addHook("onRequest", async (request, reply) => {
    request.originAccess = policy.accessOf(request.raw);
    if (!UNSAFE_METHODS.has(request.method)) return;
    if (request.originAccess === "agent" || (request.originAccess === "widget" && isWidgetRoute(request)))
      return;
    if (request.routeOptions.config.apiTokens === true && bearerToken(request) !== undefined) return;
    if (request.routeOptions.config.anyOrigin === true) return;
    request.log.info(
      { origin: request.headers.origin, access: request.originAccess },
      "write from a foreign origin refused",
    );
    return reply.code(403).send({ error: "Origin not allowed" });
  });

  // Registered after the hook above, so `originAccess` is set when CORS runs.
  await app.register(fastifyCors, {
    delegator: (
      request: FastifyRequest,
      callback: (error: Error | null, options: FastifyCorsOptions) => void,
    ) => {
      if (request.headers.origin === undefined) return callback(null, { origin: false });
      if (request.originAccess === "agent")
        return callback(null, { ...CORS, origin: true, credentials: true });
      if (request.originAccess === "widget" && isWidgetRoute(request)) {
        return callback(null, { ...CORS, origin: true, credentials: false });
      }
      callback(null, { origin: false });
    },
  });
}

/** The page a widget route's request comes from, for the named site's own origin check (chat/sites.ts). */
export function pageOf(request: FastifyRequest): PageOrigin {
  return { origin: request.headers.origin, trusted: request.originAccess === "agent" };
}
