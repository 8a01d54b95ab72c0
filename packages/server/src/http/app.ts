/**
 * The HTTP side: a Fastify app with cookies, the origin policy (CORS, which origins may use the
 * agent's cookie, the check on writes: originGuard.ts), security headers (securityHeaders.ts),
 * uniform JSON errors, and the route modules. The WebSocket upgrade is not here: server.ts hands `upgrade` events to cable/.
 */
import fastifyCookie from "@fastify/cookie";
import serverPackage from "../../package.json" with { type: "json" };
import fastifyHelmet from "@fastify/helmet";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { addErrorCodes, handleError, handleNotFound } from "./errors.js";
import { answerHeadWithGetRoutes } from "./headRequests.js";
import { treatEmptyJsonAsNoBody } from "./jsonBodies.js";
import type { ProxyTrust } from "./clientAddress.js";
import { lazyValidatorController } from "./lazyValidators.js";
import { guardOrigins } from "./originGuard.js";
import { registerOpenApi } from "./openapi/document.js";
import type { OriginPolicy } from "./origins.js";
import { privacyRoutes } from "./routes/privacy.js";
import type { RouteDeps } from "./routeDeps.js";
import { API_HEADERS, inboxHeaders } from "./securityHeaders.js";
import { agentRoutes } from "./routes/agents.js";
import { apiTokenRoutes } from "./routes/apiTokens.js";
import { avatarRoutes } from "./routes/avatars.js";
import { contactRoutes } from "./routes/contacts.js";
import { emailConversationRoutes } from "./routes/emailConversations.js";
import { auditLogRoutes } from "./routes/auditLog.js";
import { reportRoutes } from "./routes/reports.js";
import { conversationActionRoutes } from "./routes/conversationActions.js";
import { workflowRoutes } from "./routes/workflow.js";
import { authRoutes } from "./routes/auth.js";
import { conversationRoutes } from "./routes/conversations.js";
import { healthRoutes } from "./routes/health.js";
import { inboxRoutes } from "./routes/inbox.js";
import { metricsRoutes } from "./routes/metrics.js";
import { onboardingRoutes } from "./routes/onboarding.js";
import { pushRoutes } from "./routes/push.js";
import { settingRoutes } from "./routes/settings.js";
import { emailRoutes } from "./routes/email.js";
import { emailUnsubscribeRoutes } from "./routes/emailUnsubscribe.js";
import { siteRoutes } from "./routes/sites.js";
import { teamWorkRoutes } from "./routes/teamWork.js";
import { uploadRoutes } from "./routes/uploads.js";
import { webhookRoutes } from "./routes/webhooks.js";
import { widgetRoutes } from "./routes/widget.js";
import { widgetContactRoutes } from "./routes/widgetContacts.js";

export const MAX_BODY_BYTES = 64 * 1024;

export interface HttpAppOptions extends RouteDeps {
  logger: Logger;
  origins: OriginPolicy;
  /** TRUST_PROXY's rule (clientAddress.ts), so request.ip is the address the cable sees too. */
  trustProxy: ProxyTrust;
  cookieSecret: string;
  /** Past this a request still arriving (a slow upload) is answered 408 and its socket closed. */
  requestTimeoutMs: number;
}

export async function buildHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  // Typed as Fastify's logger so route modules take a plain FastifyInstance.
  const logger: FastifyBaseLogger = options.logger;
  const app = Fastify({
    loggerInstance: logger,
    trustProxy: options.trustProxy,
    bodyLimit: MAX_BODY_BYTES,
    requestTimeout: options.requestTimeoutMs,
    http: {
      // Node looks for requests past their time this often (30 s by default): a short timeout
      // would otherwise be checked up to 30 s late.
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, options.requestTimeoutMs / 4)),
      // Node's own default (60 s); never above the request's timeout, or Node enforces neither.
      headersTimeout: Math.min(60_000, options.requestTimeoutMs),
    },
    // One debug line per request (onResponse below) instead of two info lines.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // HEAD goes to the GET routes (headRequests.ts), without a route of its own for each.
    exposeHeadRoutes: false,
    // No type coercion: a key given twice is an array, a number is not a string; both are a 400
    // against the routes' schemas (schemas.ts). Unknown keys are still dropped.
    ajv: { customOptions: { coerceTypes: false } },
    schemaController: lazyValidatorController(),
  });
  answerHeadWithGetRoutes(app);
  app.decorateRequest("agentSession", null);
  app.decorateRequest("apiToken", null);
  treatEmptyJsonAsNoBody(app);
  app.setErrorHandler(handleError);
  addErrorCodes(app);
  app.setNotFoundHandler(handleNotFound);

  await app.register(fastifyCookie, { secret: options.cookieSecret });
  // JSON's headers on every answer; the inbox's scope and the demo page set their own.
  await app.register(fastifyHelmet, API_HEADERS);
  // Before any route, so it sees each route's `widgetRoute` flag.
  await guardOrigins(app, options.origins);
  app.addHook("onResponse", async (request, reply) => {
    request.log.debug(
      {
        method: request.method,
        path: request.routeOptions.url,
        status: reply.statusCode,
        ms: reply.elapsedTime,
      },
      "request",
    );
  });

  // Before the routes: it describes each as it is added.
  await registerOpenApi(app, serverPackage.version);
  healthRoutes(app, options);
  metricsRoutes(app, options);
  authRoutes(app, options);
  conversationRoutes(app, options);
  conversationActionRoutes(app, options);
  workflowRoutes(app, options);
  teamWorkRoutes(app, options);
  contactRoutes(app, options);
  apiTokenRoutes(app, options);
  agentRoutes(app, options);
  await avatarRoutes(app, options);
  onboardingRoutes(app, options);
  pushRoutes(app, options);
  siteRoutes(app, options);
  const { webhooks } = options;
  if (webhooks !== undefined) webhookRoutes(app, { ...options, webhooks });
  const { privacy } = options;
  if (privacy !== undefined) privacyRoutes(app, { ...options, privacy });
  settingRoutes(app, options);
  emailRoutes(app, options);
  await emailUnsubscribeRoutes(app, options);
  await uploadRoutes(app, options);
  widgetRoutes(app, options);
  widgetContactRoutes(app, options);
  emailConversationRoutes(app, options);
  auditLogRoutes(app, options);
  reportRoutes(app, options);
  await app.register(async (inbox) => {
    await inbox.register(
      fastifyHelmet,
      inboxHeaders((request) => options.origins.ownOrigin(request)),
    );
    await inboxRoutes(inbox, options);
  });
  return app;
}
