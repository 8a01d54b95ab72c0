/**
 * Sites over REST (protocol §10): owners create and change them; every agent reads the sites
 * they answer. The schemas bound sizes and types; chat/siteValidation.ts says what the values
 * must be (origins, colours, time zones, intervals, dates).
 */
import {
  MAX_SITE_NAME_LENGTH,
  MAX_SITE_ORIGINS,
  WEEKDAYS,
  type CreateSiteRequest,
  type IdentitySecretResponse,
  type UpdateSiteRequest,
} from "@parley/protocol";
import type { FastifyInstance } from "fastify";
import {
  MAX_CLOSED_DAYS,
  MAX_INTERVALS_PER_DAY,
  MAX_LAUNCHER_LABEL_LENGTH,
  MAX_PRIVACY_URL_LENGTH,
  MAX_SITE_AGENTS,
} from "../../chat/siteValidation.js";
import * as validate from "../../chat/validate.js";
import { currentAgent, requireAgent, requireAgentOrToken } from "../agentAuth.js";
import { auditActorOf } from "../auditActor.js";
import type { RouteDeps } from "../routeDeps.js";
import { idParams, noBody, noQuery } from "../schemas.js";

/** Upper bounds before control and formatting characters are stripped: room for some of those. */
const text = (max: number) => ({ type: "string", maxLength: max * 2 }) as const;

const widgetSettings = {
  type: "object",
  properties: {
    title: text(80),
    greeting: text(500),
    color: { type: "string", maxLength: 7 },
    position: { type: "string", enum: ["left", "right"] },
    launcher_label: { type: ["string", "null"], maxLength: MAX_LAUNCHER_LABEL_LENGTH * 2 },
    locale: { type: ["string", "null"], maxLength: 64 },
    away_message: text(500),
    prechat: {
      type: "object",
      required: ["name", "email"],
      properties: {
        name: { type: "string", enum: ["off", "optional", "required"] },
        email: { type: "string", enum: ["off", "optional", "required"] },
      },
      additionalProperties: false,
    },
    ask_rating: { type: "boolean" },
    // Room for surrounding blanks an owner pastes; siteValidation.ts holds the real bound.
    privacy_url: { type: ["string", "null"], maxLength: MAX_PRIVACY_URL_LENGTH + 100 },
  },
  additionalProperties: false,
} as const;

const interval = {
  type: "object",
  required: ["open", "close"],
  properties: { open: { type: "string", maxLength: 5 }, close: { type: "string", maxLength: 5 } },
  additionalProperties: false,
} as const;

const businessHours = {
  type: ["object", "null"],
  required: ["time_zone", "weekly", "closed_days"],
  properties: {
    time_zone: { type: "string", maxLength: 64 },
    weekly: {
      type: "object",
      properties: Object.fromEntries(
        WEEKDAYS.map((day) => [day, { type: "array", maxItems: MAX_INTERVALS_PER_DAY, items: interval }]),
      ),
      additionalProperties: false,
    },
    closed_days: { type: "array", maxItems: MAX_CLOSED_DAYS, items: { type: "string", maxLength: 10 } },
  },
  additionalProperties: false,
} as const;

const siteFields = {
  name: text(MAX_SITE_NAME_LENGTH),
  allowed_origins: { type: "array", maxItems: MAX_SITE_ORIGINS, items: { type: "string", maxLength: 300 } },
  widget: widgetSettings,
  business_hours: businessHours,
  agent_ids: {
    type: ["array", "null"],
    maxItems: MAX_SITE_AGENTS,
    items: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
  },
  identity_required: { type: "boolean" },
  keep_query_strings: { type: "boolean" },
} as const;

const createBody = {
  type: "object",
  required: ["name"],
  properties: siteFields,
  additionalProperties: false,
} as const;

const updateBody = {
  type: "object",
  properties: { ...siteFields, archived: { type: "boolean" } },
  additionalProperties: false,
} as const;

export function siteRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { sites, sessions, audit } = deps.chat;
  // Programs read the sites (to filter conversations and contacts by site); shaping them takes an
  // owner's login, like managing the team.
  const anyAgentOrToken = { preHandler: requireAgentOrToken(deps.chat), config: { apiTokens: true } };
  const ownerOnly = { preHandler: requireAgent(sessions, "owner") };

  app.get("/sites", { ...anyAgentOrToken, schema: { querystring: noQuery } }, async (request) => {
    const agent = currentAgent(request);
    return { sites: (await sites.list(agent)).map((site) => sites.toWire(site)) };
  });

  app.post<{ Body: CreateSiteRequest }>(
    "/sites",
    { ...ownerOnly, schema: { querystring: noQuery, body: createBody } },
    async (request, reply) => {
      const site = await sites.create(request.body);
      await audit.record({
        action: "site.created",
        actor: auditActorOf(request),
        targetType: "site",
        targetId: site.id,
        siteId: site.id,
        details: { name: site.name },
      });
      return reply.code(201).send({ site: sites.toWire(site) });
    },
  );

  app.get<{ Params: { id: string } }>(
    "/sites/:id",
    { ...anyAgentOrToken, schema: { params: idParams, querystring: noQuery } },
    async (request) => {
      const agent = currentAgent(request);
      return { site: sites.toWire(await sites.get(validate.id(request.params.id, "id"), agent)) };
    },
  );

  // The identity secret (protocol §12) signs who a site's users are: owners only, never a token.
  app.get<{ Params: { id: string } }>(
    "/sites/:id/identity",
    { ...ownerOnly, schema: { params: idParams, querystring: noQuery } },
    async (request): Promise<IdentitySecretResponse> => ({
      secret: await sites.identitySecret(validate.id(request.params.id, "id")),
    }),
  );

  app.post<{ Params: { id: string } }>(
    "/sites/:id/identity/rotate",
    { ...ownerOnly, schema: { params: idParams, querystring: noQuery, body: noBody } },
    async (request): Promise<IdentitySecretResponse> => {
      const id = validate.id(request.params.id, "id");
      const secret = await sites.rotateIdentitySecret(id);
      // Never the secret itself.
      await audit.record({
        action: "site.identity_rotated",
        actor: auditActorOf(request),
        targetType: "site",
        targetId: id,
        siteId: id,
      });
      return { secret };
    },
  );

  app.patch<{ Params: { id: string }; Body: UpdateSiteRequest }>(
    "/sites/:id",
    { ...ownerOnly, schema: { params: idParams, querystring: noQuery, body: updateBody } },
    async (request) => {
      const site = await sites.update(validate.id(request.params.id, "id"), request.body);
      await audit.record({
        action: "site.updated",
        actor: auditActorOf(request),
        targetType: "site",
        targetId: site.id,
        siteId: site.id,
        details: { fields: Object.keys(request.body).sort() },
      });
      return { site: sites.toWire(site) };
    },
  );
}
