/**
 * Email's REST side (protocol §16): the owner's status and test email, and each agent's own
 * email alert settings. Sending routes answer 409 `Email is not configured` while it is off.
 */
import type { AgentEmailRequest, AgentEmailResponse, TestEmailRequest } from "@parley/protocol";
import type { FastifyInstance, FastifyRequest } from "fastify";
import * as check from "../../chat/contactValidation.js";
import { invalid } from "../../chat/errors.js";
import { notConfigured } from "../../email/create.js";
import { emailLocaleOf } from "../../email/locale.js";
import type { AgentEmailSettings } from "../../store/emailStore.js";
import { currentSession, requireAgent } from "../agentAuth.js";
import type { RouteDeps } from "../routeDeps.js";
import { noQuery } from "../schemas.js";

const ADDRESS = { type: "string", maxLength: 254 } as const;

const testBody = {
  type: "object",
  required: ["to"],
  properties: { to: ADDRESS },
  additionalProperties: false,
} as const;

const agentEmailBody = {
  type: "object",
  required: ["email", "email_alerts", "email_alert_after_minutes"],
  properties: {
    email: { anyOf: [ADDRESS, { type: "null" }] },
    email_alerts: { type: "string", enum: ["off", "within_hours", "always"] },
    email_alert_after_minutes: { type: "integer", minimum: 1, maximum: 1440 },
  },
  additionalProperties: false,
} as const;

function toWire(settings: AgentEmailSettings): AgentEmailResponse {
  return {
    email: settings.email,
    email_alerts: settings.emailAlerts,
    email_alert_after_minutes: settings.emailAlertAfterMinutes,
  };
}

/** The reader's language as their browser asks for it (the first tag of Accept-Language). */
function requestLocale(request: FastifyRequest) {
  const header = request.headers["accept-language"];
  return emailLocaleOf(typeof header === "string" ? header.split(",")[0]?.split(";")[0] : undefined);
}

export function emailRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { sessions, sites } = deps.chat;
  const ownerOnly = { preHandler: requireAgent(sessions, "owner") };
  const anyAgent = { preHandler: requireAgent(sessions) };
  const { email, store } = deps;

  app.get("/settings/email", { ...ownerOnly, schema: { querystring: noQuery } }, async () => {
    if (email === undefined) throw notConfigured();
    return email.status();
  });

  app.post<{ Body: TestEmailRequest }>(
    "/settings/email/test",
    { ...ownerOnly, schema: { querystring: noQuery, body: testBody } },
    async (request, reply) => {
      if (email?.enabled !== true) throw notConfigured();
      const to = check.email(request.body.to);
      if (to === null) throw invalid("to must be an email address");
      // The default site's name and colour: the owner sees what visitors' emails look like.
      const site = sites.active(undefined);
      await email.sendTest({
        to,
        locale: requestLocale(request),
        siteName: site?.name ?? "Parley",
        color: site === undefined ? "#2563eb" : sites.widgetOf(site).color,
      });
      return reply.code(202).send({ ok: true });
    },
  );

  app.get("/agents/me/email", { ...anyAgent, schema: { querystring: noQuery } }, async (request) => {
    const settings = await store.getAgentEmailSettings(currentSession(request).agent.id);
    if (settings === undefined) throw invalid("Agent not found");
    return toWire(settings);
  });

  app.put<{ Body: AgentEmailRequest }>(
    "/agents/me/email",
    { ...anyAgent, schema: { querystring: noQuery, body: agentEmailBody } },
    async (request) => {
      const { body } = request;
      const address = body.email === null ? null : check.email(body.email);
      const settings = await store.updateAgentEmailSettings(currentSession(request).agent.id, {
        email: address,
        emailAlerts: body.email_alerts,
        emailAlertAfterMinutes: body.email_alert_after_minutes,
      });
      if (settings === undefined) throw invalid("Agent not found");
      return toWire(settings);
    },
  );
}
