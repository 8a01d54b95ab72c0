/**
 * The conversation's email routes (protocol §16): the widget exchanges a reply email's reopen
 * link for the conversation's token (`POST /widget/resume`) and asks for a transcript
 * (`POST /widget/transcript`); agents and read_write tokens send one (`POST
 * /conversations/:id/transcript`). Widget routes are called from the site's origins, without a
 * cookie, and count against §12's per-token and per-address limits before anything is read.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  MAX_EMAIL_LENGTH,
  SITE_KEY_PATTERN,
  VISITOR_TOKEN_PATTERN,
  type AgentTranscriptRequest,
  type ResumeRequest,
  type VisitorTranscriptRequest,
} from "@parley/protocol";
import { ChatError, notFound } from "../../chat/errors.js";
import * as validate from "../../chat/validate.js";
import { notConfigured } from "../../email/create.js";
import type { StoredSite } from "../../store/store.js";
import { currentAgent, requireAgentOrToken } from "../agentAuth.js";
import { pageOf } from "../originGuard.js";
import type { RouteDeps } from "../routeDeps.js";
import { idParams, noQuery } from "../schemas.js";

/** Longer than any link Parley makes (signedTokens.ts refuses past 1024). */
const MAX_LINK_LENGTH = 1024;

const site = { type: "string", pattern: SITE_KEY_PATTERN.source } as const;
const email = { type: "string", maxLength: MAX_EMAIL_LENGTH * 2 } as const;

const resumeBody = {
  type: "object",
  required: ["link"],
  properties: { link: { type: "string", maxLength: MAX_LINK_LENGTH }, site },
  additionalProperties: false,
} as const;

const visitorTranscriptBody = {
  type: "object",
  required: ["token"],
  properties: { token: { type: "string", pattern: VISITOR_TOKEN_PATTERN.source }, site, email },
  additionalProperties: false,
} as const;

const agentTranscriptBody = {
  type: ["object", "null"],
  properties: { email },
  additionalProperties: false,
} as const;

export function emailConversationRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { contacts, sites, inbox } = deps.chat;
  const emails = deps.emailConversations;
  const widget = { config: { widgetRoute: true } };
  const agentGuard = { preHandler: requireAgentOrToken(deps.chat), config: { apiTokens: true } };

  /** The live site the body names, if the request's page may use it; counted against §12's limits. */
  const siteFor = async (
    request: FastifyRequest,
    body: { token?: string; site?: string },
  ): Promise<StoredSite> => {
    await contacts.admitWrite(body.token, request.ip);
    const found = sites.active(body.site);
    if (found === undefined) throw notFound("Site");
    if (!sites.allowsPage(found, pageOf(request)))
      throw new ChatError("forbidden", "This site's widget does not run on this origin");
    return found;
  };

  app.post<{ Body: ResumeRequest }>(
    "/widget/resume",
    { ...widget, schema: { querystring: noQuery, body: resumeBody } },
    async (request) => {
      const found = await siteFor(request, request.body);
      if (emails === undefined) throw notConfigured();
      return emails.resume.exchange(found.id, request.body.link);
    },
  );

  app.post<{ Body: VisitorTranscriptRequest }>(
    "/widget/transcript",
    { ...widget, schema: { querystring: noQuery, body: visitorTranscriptBody } },
    async (request, reply) => {
      const transcripts = emails?.transcripts;
      if (transcripts === undefined) throw notConfigured();
      const found = await siteFor(request, request.body);
      await transcripts.forVisitor(found.id, request.body.token, request.body.email);
      return reply.code(202).send({ ok: true });
    },
  );

  app.post<{ Params: { id: string }; Body: AgentTranscriptRequest | null }>(
    "/conversations/:id/transcript",
    { ...agentGuard, schema: { params: idParams, querystring: noQuery, body: agentTranscriptBody } },
    async (request, reply) => {
      const transcripts = emails?.transcripts;
      if (transcripts === undefined) throw notConfigured();
      const agent = currentAgent(request);
      const conversation = await inbox.get(
        { id: agent.id, name: agent.name },
        validate.id(request.params.id, "id"),
      );
      await transcripts.forAgent(conversation, request.body?.email);
      return reply.code(202).send({ ok: true });
    },
  );
}
