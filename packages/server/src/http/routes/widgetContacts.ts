/**
 * The widget's contact routes (protocol §12): identify (the site's page says who its user is)
 * and contact details (the pre-chat form). Called from the site's origins like /widget/config,
 * without a cookie; limited per visitor token and per address before anything is read.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  MAX_EXTERNAL_ID_LENGTH,
  SITE_KEY_PATTERN,
  VISITOR_TOKEN_PATTERN,
  type ContactDetailsRequest,
  type IdentifyRequest,
} from "@parley/protocol";
import type { StoredSite } from "../../store/store.js";
import { ChatError, notFound } from "../../chat/errors.js";
import { MAX_LOCALE_LENGTH } from "../../chat/contactValidation.js";
import { pageOf } from "../originGuard.js";
import type { RouteDeps } from "../routeDeps.js";
import { noQuery } from "../schemas.js";
import { attributesSchema, contactNameSchema, emailSchema } from "./contacts.js";

const common = {
  token: { type: "string", pattern: VISITOR_TOKEN_PATTERN.source },
  site: { type: "string", pattern: SITE_KEY_PATTERN.source },
} as const;

const identifyBody = {
  type: "object",
  required: ["token"],
  properties: {
    ...common,
    id: { type: "string", minLength: 1, maxLength: MAX_EXTERNAL_ID_LENGTH * 2 },
    hash: { type: "string", maxLength: 128 },
    email: emailSchema,
    name: contactNameSchema,
    attributes: attributesSchema,
  },
  additionalProperties: false,
} as const;

const detailsBody = {
  type: "object",
  required: ["token"],
  properties: {
    ...common,
    name: contactNameSchema,
    email: emailSchema,
    locale: { type: "string", minLength: 2, maxLength: MAX_LOCALE_LENGTH },
  },
  additionalProperties: false,
} as const;

export function widgetContactRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { contacts, sites } = deps.chat;
  const widget = { config: { widgetRoute: true } };

  /** The live site the body names, if the request's page may use it; counted against the limits. */
  const siteFor = async (
    request: FastifyRequest,
    body: { token: string; site?: string },
  ): Promise<StoredSite> => {
    // The address as every other limit sees it (TRUST_PROXY decides whether proxies are believed).
    await contacts.admitWrite(body.token, request.ip);
    const site = sites.active(body.site);
    if (site === undefined) throw notFound("Site");
    if (!sites.allowsPage(site, pageOf(request)))
      throw new ChatError("forbidden", "This site's widget does not run on this origin");
    return site;
  };

  app.post<{ Body: IdentifyRequest }>(
    "/widget/identify",
    { ...widget, schema: { querystring: noQuery, body: identifyBody } },
    async (request) => {
      const site = await siteFor(request, request.body);
      return contacts.identify(site.id, request.body);
    },
  );

  app.post<{ Body: ContactDetailsRequest }>(
    "/widget/contact",
    { ...widget, schema: { querystring: noQuery, body: detailsBody } },
    async (request) => {
      const site = await siteFor(request, request.body);
      await contacts.details(site.id, request.body);
      return { ok: true };
    },
  );
}
