/**
 * Contacts and the visitor's context over REST (protocol §12), for agents (cookie) and programs
 * (API tokens; writes need read_write). An agent sees only the contacts and conversations of the
 * sites they answer: another site's is a 404.
 */
import type { FastifyInstance } from "fastify";
import {
  MAX_CONTACT_ATTRIBUTES,
  MAX_CONTACT_NAME_LENGTH,
  MAX_EMAIL_LENGTH,
  type ContactsResponse,
  type MergeContactsRequest,
  type UpdateContactRequest,
} from "@parley/protocol";
import * as validate from "../../chat/validate.js";
import { currentAgent, requireAgentOrToken } from "../agentAuth.js";
import type { RouteDeps } from "../routeDeps.js";
import { idParams, idString, noQuery } from "../schemas.js";

const MAX_SEARCH_LENGTH = 200;

const listQuery = {
  type: "object",
  properties: {
    site_id: idString,
    q: { type: "string", maxLength: MAX_SEARCH_LENGTH },
    before: idString,
    /** 1–MAX_CONTACTS_PAGE (100). */
    limit: { type: "string", pattern: "^([1-9][0-9]?|100)$" },
  },
  additionalProperties: false,
} as const;

/**
 * An object of at most MAX_CONTACT_ATTRIBUTES keys; chat/contactValidation.ts checks each key and
 * value and names the one at fault, which a schema's error would not (the body limit bounds it).
 */
export const attributesSchema = { type: "object", maxProperties: MAX_CONTACT_ATTRIBUTES } as const;

export const contactNameSchema = {
  type: ["string", "null"],
  maxLength: MAX_CONTACT_NAME_LENGTH * 2,
} as const;
export const emailSchema = { type: ["string", "null"], maxLength: MAX_EMAIL_LENGTH * 2 } as const;

const updateBody = {
  type: "object",
  properties: { name: contactNameSchema, email: emailSchema, attributes: attributesSchema },
  additionalProperties: false,
} as const;

const mergeBody = {
  type: "object",
  required: ["contact_id"],
  properties: { contact_id: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
  additionalProperties: false,
} as const;

export function contactRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { contacts, inbox } = deps.chat;
  const guard = { preHandler: requireAgentOrToken(deps.chat), config: { apiTokens: true } };

  app.get<{ Querystring: { site_id?: string; q?: string; before?: string; limit?: string } }>(
    "/contacts",
    { ...guard, schema: { querystring: listQuery } },
    async (request): Promise<ContactsResponse> => {
      const { site_id: siteId, q, before, limit } = request.query;
      const page = await contacts.list(currentAgent(request), {
        ...(siteId === undefined ? {} : { siteId: validate.id(siteId, "site_id") }),
        ...(q === undefined ? {} : { search: q }),
        ...(before === undefined ? {} : { beforeId: validate.id(before, "before") }),
        ...(limit === undefined ? {} : { limit: Number(limit) }),
      });
      return { contacts: page.contacts, next_cursor: page.nextCursor };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/contacts/:id",
    { ...guard, schema: { params: idParams, querystring: noQuery } },
    async (request) => contacts.get(currentAgent(request), validate.id(request.params.id, "id")),
  );

  app.patch<{ Params: { id: string }; Body: UpdateContactRequest }>(
    "/contacts/:id",
    { ...guard, schema: { params: idParams, querystring: noQuery, body: updateBody } },
    async (request) => ({
      contact: await contacts.update(
        currentAgent(request),
        validate.id(request.params.id, "id"),
        request.body,
      ),
    }),
  );

  app.post<{ Params: { id: string }; Body: MergeContactsRequest }>(
    "/contacts/:id/merge",
    { ...guard, schema: { params: idParams, querystring: noQuery, body: mergeBody } },
    async (request) => ({
      contact: await contacts.merge(
        currentAgent(request),
        validate.id(request.params.id, "id"),
        request.body.contact_id,
      ),
    }),
  );

  app.get<{ Params: { id: string } }>(
    "/conversations/:id/context",
    { ...guard, schema: { params: idParams, querystring: noQuery } },
    async (request) => {
      const agent = currentAgent(request);
      const conversation = await inbox.get(agent, validate.id(request.params.id, "id"));
      // The address is personal data: owners only (protocol §12).
      return contacts.context(conversation, { withAddress: agent.role === "owner" });
    },
  );
}
