/**
 * The seed's conversation REST rows, plus paging, filters and search for the inbox. An agent
 * sees only the conversations of the sites they answer (protocol §10): another site's is a 404.
 */
import type { FastifyInstance } from "fastify";
import { CONVERSATION_STATES, type ConversationsResponse, type MessagesResponse } from "@parley/protocol";
import { invalid } from "../../chat/errors.js";
import { MAX_PAGE_SIZE, statusFilter, type ConversationQuery } from "../../chat/inbox.js";
import { stateFilter } from "../../chat/workflow.js";
import * as validate from "../../chat/validate.js";
import { currentAgent, requireAgentOrToken } from "../agentAuth.js";
import { auditActorOf } from "../auditActor.js";
import type { RouteDeps } from "../routeDeps.js";
import { idParams, idString, noBody, noQuery } from "../schemas.js";

interface ListQuery {
  status?: string;
  state?: string;
  label_id?: string;
  assignee?: string;
  q?: string;
  before?: string;
  limit?: string;
  site_id?: string;
}

/** Searches longer than this are refused: no message is longer than 2000 characters, nor a name 50. */
const MAX_SEARCH_LENGTH = 200;

const listQuery = {
  type: "object",
  properties: {
    status: { type: "string", enum: ["open", "closed", "all", ""] },
    state: { type: "string", enum: [...CONVERSATION_STATES, "all", ""] },
    label_id: idString,
    assignee: { type: "string", pattern: "^(me|unassigned|all|[1-9][0-9]{0,15})?$" },
    q: { type: "string", maxLength: MAX_SEARCH_LENGTH },
    before: { type: "string", maxLength: 200, pattern: "^[A-Za-z0-9_-]*$" },
    limit: idString,
    site_id: idString,
  },
  additionalProperties: false,
} as const;

const messagesQuery = {
  type: "object",
  properties: { before_id: idString, limit: idString },
  additionalProperties: false,
} as const;

/** The keyset cursor `next_before`: opaque to clients. */
function encodeCursor(updatedAt: string, id: number): string {
  return Buffer.from(`${updatedAt}|${id}`).toString("base64url");
}

function decodeCursor(cursor: string): { updatedAt: string; id: number } {
  const [updatedAt, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (updatedAt === undefined || !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(updatedAt) || !/^\d+$/.test(id ?? "")) {
    throw invalid("before is not a cursor from next_before");
  }
  return { updatedAt, id: Number(id) };
}

export function conversationRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { inbox } = deps.chat;
  // Programs read (and, with read_write, delete) conversations with an API token too.
  const guard = { preHandler: requireAgentOrToken(deps.chat), config: { apiTokens: true } };

  app.get<{ Querystring: ListQuery }>(
    "/conversations",
    { ...guard, schema: { querystring: listQuery } },
    async (request): Promise<ConversationsResponse> => {
      const { status, assignee, q, before, limit, site_id: siteId } = request.query;
      const query: ConversationQuery = {};
      if (siteId !== undefined) query.siteId = validate.id(siteId, "site_id");
      const statusValue = statusFilter(status);
      if (statusValue !== undefined) query.status = statusValue;
      // (§15) Narrower than status, and wins over it.
      const stateValue = stateFilter(request.query.state);
      if (stateValue !== undefined) query.state = stateValue;
      if (request.query.label_id !== undefined)
        query.labelId = validate.id(request.query.label_id, "label_id");
      const agent = currentAgent(request);
      if (assignee === "me") query.assigneeId = agent.id;
      else if (assignee === "unassigned") query.assigneeId = null;
      else if (assignee !== undefined && assignee !== "" && assignee !== "all")
        query.assigneeId = validate.id(assignee, "assignee");
      if (q !== undefined) query.search = q;
      if (before !== undefined && before !== "") query.before = decodeCursor(before);
      const pageSize =
        limit === undefined ? MAX_PAGE_SIZE : Math.min(validate.id(limit, "limit"), MAX_PAGE_SIZE);
      query.limit = pageSize;
      const conversations = await inbox.list(agent, query);
      const last = conversations[conversations.length - 1];
      return conversations.length === pageSize && last !== undefined
        ? { conversations, next_before: encodeCursor(last.updated_at, last.id) }
        : { conversations };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/conversations/:id",
    { ...guard, schema: { params: idParams, querystring: noQuery } },
    async (request) => ({
      conversation: await inbox.toWire(
        await inbox.get(currentAgent(request), validate.id(request.params.id, "id")),
      ),
    }),
  );

  app.get<{ Params: { id: string }; Querystring: { before_id?: string; limit?: string } }>(
    "/conversations/:id/messages",
    { ...guard, schema: { params: idParams, querystring: messagesQuery } },
    async (request): Promise<MessagesResponse> => {
      const beforeId = validate.optionalId(request.query.before_id, "before_id");
      // Without `limit` (the seed's admin page), the whole conversation up to FULL_HISTORY_CAP.
      const limit = validate.optionalId(request.query.limit, "limit");
      const { messages, hasMore } = await inbox.history(
        currentAgent(request),
        validate.id(request.params.id, "id"),
        {
          ...(beforeId === undefined ? {} : { beforeId }),
          ...(limit === undefined ? {} : { limit }),
        },
      );
      return { messages, has_more: hasMore };
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/conversations/:id",
    { ...guard, schema: { params: idParams, querystring: noQuery, body: noBody } },
    async (request) => {
      const deleted = await inbox.delete(currentAgent(request), request.params.id);
      await deps.chat.audit.record({
        action: "conversation.deleted",
        actor: auditActorOf(request),
        targetType: "conversation",
        targetId: deleted.id,
        siteId: deleted.siteId,
      });
      return { ok: true };
    },
  );
}
