/**
 * What the inbox does to a conversation over the AdminChannel, over REST too, for programs with
 * an API token (read_write) and for agents' scripts with the cookie: send a message as the agent
 * (with `client_id`, a retry stores one message), mark read, close, reopen, assign. Everyone
 * listening hears the change live, exactly as when the inbox makes it.
 */
import type { FastifyInstance } from "fastify";
import {
  MAX_ATTACHMENTS,
  MAX_CLIENT_ID_LENGTH,
  MAX_MESSAGE_LENGTH,
  type AssignRequest,
  type SendMessageRequest,
} from "@parley/protocol";
import { currentAgent, requireAgentOrToken } from "../agentAuth.js";
import type { RouteDeps } from "../routeDeps.js";
import { idParams, noBody, noQuery } from "../schemas.js";

const sendBody = {
  type: "object",
  required: ["content"],
  properties: {
    content: { type: "string", maxLength: MAX_MESSAGE_LENGTH * 2 },
    client_id: { type: "string", minLength: 1, maxLength: MAX_CLIENT_ID_LENGTH },
    attachment_ids: {
      type: "array",
      maxItems: MAX_ATTACHMENTS,
      uniqueItems: true,
      items: { type: "integer", minimum: 1 },
    },
  },
  additionalProperties: false,
} as const;

const assignBody = {
  type: "object",
  required: ["agent_id"],
  properties: { agent_id: { type: ["integer", "null"], minimum: 1 } },
  additionalProperties: false,
} as const;

export function conversationActionRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { inbox } = deps.chat;
  const guard = { preHandler: requireAgentOrToken(deps.chat), config: { apiTokens: true } };
  const agentRef = (request: Parameters<typeof currentAgent>[0]) => {
    const agent = currentAgent(request);
    return { id: agent.id, name: agent.name };
  };
  const changed = async (conversation: Parameters<typeof inbox.toWire>[0]) => ({
    conversation: await inbox.toWire(conversation),
  });

  app.post<{ Params: { id: string }; Body: SendMessageRequest }>(
    "/conversations/:id/messages",
    { ...guard, schema: { params: idParams, querystring: noQuery, body: sendBody } },
    async (request, reply) => {
      const { message, created } = await inbox.send(agentRef(request), {
        conversationId: request.params.id,
        content: request.body.content,
        clientId: request.body.client_id,
        attachmentIds: request.body.attachment_ids,
      });
      // 201 when stored now, 200 when a retry found the message its client_id already stored.
      return reply.code(created ? 201 : 200).send({ message });
    },
  );

  app.post<{ Params: { id: string } }>(
    "/conversations/:id/read",
    { ...guard, schema: { params: idParams, querystring: noQuery, body: noBody } },
    async (request) => changed(await inbox.markRead(agentRef(request), request.params.id)),
  );

  app.post<{ Params: { id: string } }>(
    "/conversations/:id/close",
    { ...guard, schema: { params: idParams, querystring: noQuery, body: noBody } },
    async (request) => changed(await inbox.setStatus(agentRef(request), request.params.id, "closed")),
  );

  app.post<{ Params: { id: string } }>(
    "/conversations/:id/reopen",
    { ...guard, schema: { params: idParams, querystring: noQuery, body: noBody } },
    async (request) => changed(await inbox.setStatus(agentRef(request), request.params.id, "open")),
  );

  app.put<{ Params: { id: string }; Body: AssignRequest }>(
    "/conversations/:id/assignee",
    { ...guard, schema: { params: idParams, querystring: noQuery, body: assignBody } },
    async (request) =>
      changed(await inbox.assign(request.params.id, request.body.agent_id, agentRef(request))),
  );
}
