/**
 * The agents' side of the team workflow over REST (protocol §15): private notes on a
 * conversation, canned replies, and the caller's chosen availability. Agents by cookie, programs
 * by an agent's API token (reads with any scope, writes with read_write). Everyone listening
 * hears a change live, exactly as when the inbox makes it over the AdminChannel.
 */
import type { FastifyInstance } from "fastify";
import {
  CANNED_SHORTCUT_PATTERN,
  MAX_CANNED_CONTENT_LENGTH,
  MAX_CLIENT_ID_LENGTH,
  MAX_NOTE_LENGTH,
  type CreateCannedReplyRequest,
  type CreateNoteRequest,
  type SetAvailabilityRequest,
  type UpdateCannedReplyRequest,
} from "@parley/protocol";
import { toWireAgent } from "../../chat/team.js";
import { currentAgent, requireAgentOrToken } from "../agentAuth.js";
import type { RouteDeps } from "../routeDeps.js";
import { idParams, idString, noBody, noQuery } from "../schemas.js";

const noteBody = {
  type: "object",
  required: ["content"],
  properties: {
    // Cleaning may shorten it; chat/notes.ts checks the length that counts.
    content: { type: "string", maxLength: MAX_NOTE_LENGTH * 2 },
    client_id: { type: "string", minLength: 1, maxLength: MAX_CLIENT_ID_LENGTH },
  },
  additionalProperties: false,
} as const;

const shortcut = { type: "string", pattern: CANNED_SHORTCUT_PATTERN.source } as const;
const cannedContent = { type: "string", maxLength: MAX_CANNED_CONTENT_LENGTH * 2 } as const;
const siteId = { type: ["integer", "null"], minimum: 1 } as const;

const createCannedBody = {
  type: "object",
  required: ["scope", "shortcut", "content"],
  properties: {
    scope: { type: "string", enum: ["personal", "shared"] },
    shortcut,
    content: cannedContent,
    site_id: siteId,
  },
  additionalProperties: false,
} as const;

const updateCannedBody = {
  type: "object",
  properties: { shortcut, content: cannedContent, site_id: siteId },
  additionalProperties: false,
} as const;

const cannedQuery = {
  type: "object",
  properties: { site_id: idString },
  additionalProperties: false,
} as const;

const availabilityBody = {
  type: "object",
  required: ["availability"],
  properties: { availability: { type: "string", enum: ["online", "away", "offline"] } },
  additionalProperties: false,
} as const;

export function teamWorkRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { notes, cannedReplies, availability } = deps.chat;
  const guard = { preHandler: requireAgentOrToken(deps.chat), config: { apiTokens: true } };
  const agentRef = (request: Parameters<typeof currentAgent>[0]) => {
    const agent = currentAgent(request);
    return { id: agent.id, name: agent.name };
  };
  const actor = (request: Parameters<typeof currentAgent>[0]) => {
    const agent = currentAgent(request);
    return { id: agent.id, name: agent.name, role: agent.role };
  };

  app.get<{ Params: { id: string } }>(
    "/conversations/:id/notes",
    { ...guard, schema: { params: idParams, querystring: noQuery } },
    async (request) => ({ notes: (await notes.list(agentRef(request), request.params.id)).notes }),
  );

  app.post<{ Params: { id: string }; Body: CreateNoteRequest }>(
    "/conversations/:id/notes",
    { ...guard, schema: { params: idParams, querystring: noQuery, body: noteBody } },
    async (request, reply) => {
      const { note, created } = await notes.add(agentRef(request), {
        conversationId: request.params.id,
        content: request.body.content,
        clientId: request.body.client_id,
      });
      // 201 when stored now, 200 when a retry found the note its client_id already stored.
      return reply.code(created ? 201 : 200).send({ note });
    },
  );

  app.get<{ Querystring: { site_id?: string } }>(
    "/canned_replies",
    { ...guard, schema: { querystring: cannedQuery } },
    async (request) => ({
      canned_replies: await cannedReplies.list(agentRef(request), request.query.site_id),
    }),
  );

  app.post<{ Body: CreateCannedReplyRequest }>(
    "/canned_replies",
    { ...guard, schema: { querystring: noQuery, body: createCannedBody } },
    async (request, reply) =>
      reply.code(201).send({ canned_reply: await cannedReplies.create(actor(request), request.body) }),
  );

  app.patch<{ Params: { id: string }; Body: UpdateCannedReplyRequest }>(
    "/canned_replies/:id",
    { ...guard, schema: { params: idParams, querystring: noQuery, body: updateCannedBody } },
    async (request) => ({
      canned_reply: await cannedReplies.update(actor(request), request.params.id, request.body),
    }),
  );

  app.delete<{ Params: { id: string } }>(
    "/canned_replies/:id",
    { ...guard, schema: { params: idParams, querystring: noQuery, body: noBody } },
    async (request) => {
      await cannedReplies.delete(actor(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.put<{ Body: SetAvailabilityRequest }>(
    "/agents/me/availability",
    { ...guard, schema: { querystring: noQuery, body: availabilityBody } },
    async (request) => {
      const agent = await availability.choose(currentAgent(request).id, request.body.availability);
      return { agent: toWireAgent(agent, availability) };
    },
  );
}
