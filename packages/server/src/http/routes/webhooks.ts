/**
 * Webhooks over REST (protocol §13), for owners only: by cookie, or with a `read_write` API
 * token of an owner (reading needs any scope; the secret needs the cookie or `read_write`).
 * webhooks/webhookAdmin.ts does the work; the schemas bound what a caller may send.
 */
import {
  MAX_WEBHOOK_URL_LENGTH,
  WEBHOOK_EVENT_TYPES,
  type CreateWebhookRequest,
  type CreatedWebhookResponse,
  type UpdateWebhookRequest,
  type WebhookDeliveriesResponse,
  type WebhookDeliveryResponse,
  type WebhookResponse,
  type WebhookSecretResponse,
  type WebhooksResponse,
} from "@parley/protocol";
import type { FastifyReply, FastifyRequest, FastifyInstance } from "fastify";
import * as validate from "../../chat/validate.js";
import type { WebhookAdmin } from "../../webhooks/webhookAdmin.js";
import { toWireDelivery, toWireWebhook } from "../../webhooks/webhookAdmin.js";
import { currentAgent, requireAgentOrToken } from "../agentAuth.js";
import { auditActorOf } from "../auditActor.js";
import type { RouteDeps } from "../routeDeps.js";
import { idString, noBody, noQuery } from "../schemas.js";

const MAX_DELIVERIES_PAGE = 100;

const webhookFields = {
  url: { type: "string", minLength: 1, maxLength: MAX_WEBHOOK_URL_LENGTH },
  events: {
    type: "array",
    minItems: 1,
    maxItems: WEBHOOK_EVENT_TYPES.length,
    items: { type: "string", enum: [...WEBHOOK_EVENT_TYPES] },
  },
  format: { type: "string", enum: ["parley", "slack"] },
  enabled: { type: "boolean" },
} as const;

const createBody = {
  type: "object",
  required: ["url", "events"],
  properties: webhookFields,
  additionalProperties: false,
} as const;

const updateBody = { type: "object", properties: webhookFields, additionalProperties: false } as const;

const siteParams = {
  type: "object",
  required: ["id"],
  properties: { id: idString },
  additionalProperties: false,
} as const;

const webhookParams = {
  type: "object",
  required: ["id", "webhook_id"],
  properties: { id: idString, webhook_id: idString },
  additionalProperties: false,
} as const;

const deliveryParams = {
  type: "object",
  required: ["id", "webhook_id", "delivery_id"],
  properties: { id: idString, webhook_id: idString, delivery_id: idString },
  additionalProperties: false,
} as const;

const deliveriesQuery = {
  type: "object",
  properties: {
    before: idString,
    limit: { type: "string", pattern: "^[1-9][0-9]{0,2}$" },
  },
  additionalProperties: false,
} as const;

type SiteParams = { id: string };
type WebhookParams = SiteParams & { webhook_id: string };
type DeliveryParams = WebhookParams & { delivery_id: string };

export function webhookRoutes(app: FastifyInstance, deps: RouteDeps & { webhooks: WebhookAdmin }): void {
  const { webhooks } = deps;
  const agentOrToken = requireAgentOrToken(deps.chat);
  const ownerOnly = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await agentOrToken(request, reply);
    if (reply.sent) return;
    if (currentAgent(request).role !== "owner") {
      await reply.code(403).send({ error: "Only an owner can do this" });
    }
  };
  const guard = { preHandler: ownerOnly, config: { apiTokens: true } };
  const site = (params: SiteParams) => validate.id(params.id, "id");
  const hook = (params: WebhookParams) => validate.id(params.webhook_id, "webhook_id");

  app.get<{ Params: SiteParams }>(
    "/sites/:id/webhooks",
    { ...guard, schema: { params: siteParams, querystring: noQuery } },
    async (request): Promise<WebhooksResponse> => ({
      webhooks: (await webhooks.list(site(request.params))).map(toWireWebhook),
    }),
  );

  app.post<{ Params: SiteParams; Body: CreateWebhookRequest }>(
    "/sites/:id/webhooks",
    { ...guard, schema: { params: siteParams, querystring: noQuery, body: createBody } },
    async (request, reply) => {
      const created = await webhooks.create(site(request.params), request.body);
      // Never the secret; the host only, as a URL's path may itself be a secret (Slack's are).
      await deps.chat.audit.record({
        action: "webhook.created",
        actor: auditActorOf(request),
        targetType: "webhook",
        targetId: created.id,
        siteId: created.siteId,
        details: { host: new URL(created.url).host, events: created.events, format: created.format },
      });
      const body: CreatedWebhookResponse = { webhook: toWireWebhook(created), secret: created.secret };
      return reply.code(201).header("cache-control", "no-store").send(body);
    },
  );

  app.get<{ Params: WebhookParams }>(
    "/sites/:id/webhooks/:webhook_id",
    { ...guard, schema: { params: webhookParams, querystring: noQuery } },
    async (request): Promise<WebhookResponse> => ({
      webhook: toWireWebhook(await webhooks.get(site(request.params), hook(request.params))),
    }),
  );

  app.patch<{ Params: WebhookParams; Body: UpdateWebhookRequest }>(
    "/sites/:id/webhooks/:webhook_id",
    { ...guard, schema: { params: webhookParams, querystring: noQuery, body: updateBody } },
    async (request): Promise<WebhookResponse> => {
      const updated = await webhooks.update(site(request.params), hook(request.params), request.body);
      await deps.chat.audit.record({
        action: "webhook.updated",
        actor: auditActorOf(request),
        targetType: "webhook",
        targetId: updated.id,
        siteId: updated.siteId,
        details: { fields: Object.keys(request.body).sort() },
      });
      return { webhook: toWireWebhook(updated) };
    },
  );

  app.delete<{ Params: WebhookParams }>(
    "/sites/:id/webhooks/:webhook_id",
    { ...guard, schema: { params: webhookParams, querystring: noQuery, body: noBody } },
    async (request) => {
      const siteId = site(request.params);
      const webhookId = hook(request.params);
      await webhooks.delete(siteId, webhookId);
      await deps.chat.audit.record({
        action: "webhook.deleted",
        actor: auditActorOf(request),
        targetType: "webhook",
        targetId: webhookId,
        siteId,
      });
      return { ok: true };
    },
  );

  app.get<{ Params: WebhookParams; Querystring: { before?: string; limit?: string } }>(
    "/sites/:id/webhooks/:webhook_id/deliveries",
    { ...guard, schema: { params: webhookParams, querystring: deliveriesQuery } },
    async (request): Promise<WebhookDeliveriesResponse> => {
      const { before, limit } = request.query;
      const page = await webhooks.deliveries(site(request.params), hook(request.params), {
        ...(before === undefined ? {} : { beforeId: validate.id(before, "before") }),
        ...(limit === undefined ? {} : { limit: Math.min(Number(limit), MAX_DELIVERIES_PAGE) }),
      });
      return { deliveries: page.deliveries.map(toWireDelivery), next_cursor: page.nextCursor };
    },
  );

  app.post<{ Params: DeliveryParams }>(
    "/sites/:id/webhooks/:webhook_id/deliveries/:delivery_id/resend",
    { ...guard, schema: { params: deliveryParams, querystring: noQuery, body: noBody } },
    async (request, reply) => {
      const copy = await webhooks.resend(
        site(request.params),
        hook(request.params),
        validate.id(request.params.delivery_id, "delivery_id"),
      );
      const body: WebhookDeliveryResponse = { delivery: toWireDelivery(copy) };
      return reply.code(202).send(body);
    },
  );

  app.get<{ Params: WebhookParams }>(
    "/sites/:id/webhooks/:webhook_id/secret",
    { ...guard, schema: { params: webhookParams, querystring: noQuery } },
    async (request, reply) => {
      // A read-only token reads the log, never the key that signs.
      if (request.apiToken !== null && request.apiToken.token.scope !== "read_write") {
        return reply.code(403).send({ error: "Reading a webhook's secret needs a read_write API token" });
      }
      const body: WebhookSecretResponse = {
        secret: await webhooks.secret(site(request.params), hook(request.params)),
      };
      return reply.header("cache-control", "no-store").send(body);
    },
  );
}
