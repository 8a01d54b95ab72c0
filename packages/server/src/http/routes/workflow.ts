/**
 * (§15) States, labels and view counts over REST. Agents by cookie, programs with an API token
 * (reads for `read`, the rest for `read_write`); labels are written by owners only (cookie).
 */
import type { FastifyInstance } from "fastify";
import {
  CONVERSATION_STATES,
  MAX_LABEL_NAME_LENGTH,
  MAX_LABELS_PER_CONVERSATION,
  type CreateLabelRequest,
  type LabelsResponse,
  type SetLabelsRequest,
  type SetStateRequest,
  type UpdateLabelRequest,
  type ViewCounts,
} from "@parley/protocol";
import * as validate from "../../chat/validate.js";
import { currentAgent, requireAgent, requireAgentOrToken } from "../agentAuth.js";
import type { RouteDeps } from "../routeDeps.js";
import { idParams, idString, noBody, noQuery } from "../schemas.js";

const setStateBody = {
  type: "object",
  required: ["state"],
  properties: {
    state: { type: "string", enum: [...CONVERSATION_STATES] },
    snoozed_until: { type: ["string", "null"], maxLength: 64 },
  },
  additionalProperties: false,
} as const;

const setLabelsBody = {
  type: "object",
  required: ["label_ids"],
  properties: {
    label_ids: {
      type: "array",
      maxItems: MAX_LABELS_PER_CONVERSATION,
      items: { type: "integer", minimum: 1 },
    },
  },
  additionalProperties: false,
} as const;

const labelName = { type: "string", minLength: 1, maxLength: MAX_LABEL_NAME_LENGTH * 4 } as const;
const labelColor = { type: "string", pattern: "^#[0-9a-fA-F]{6}$" } as const;

const createLabelBody = {
  type: "object",
  required: ["name", "color"],
  properties: { name: labelName, color: labelColor },
  additionalProperties: false,
} as const;

const updateLabelBody = {
  type: "object",
  properties: { name: labelName, color: labelColor },
  additionalProperties: false,
} as const;

const countsQuery = {
  type: "object",
  properties: { site_id: idString },
  additionalProperties: false,
} as const;

export function workflowRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { inbox, workflow, sessions } = deps.chat;
  const guard = { preHandler: requireAgentOrToken(deps.chat), config: { apiTokens: true } };
  const ownerOnly = { preHandler: requireAgent(sessions, "owner") };
  const agentRef = (request: Parameters<typeof currentAgent>[0]) => {
    const agent = currentAgent(request);
    return { id: agent.id, name: agent.name };
  };

  app.put<{ Params: { id: string }; Body: SetStateRequest }>(
    "/conversations/:id/state",
    { ...guard, schema: { params: idParams, querystring: noQuery, body: setStateBody } },
    async (request) => ({
      conversation: await inbox.toWire(
        await workflow.setState(
          agentRef(request),
          request.params.id,
          request.body.state,
          request.body.snoozed_until,
        ),
      ),
    }),
  );

  app.put<{ Params: { id: string }; Body: SetLabelsRequest }>(
    "/conversations/:id/labels",
    { ...guard, schema: { params: idParams, querystring: noQuery, body: setLabelsBody } },
    async (request) => ({
      conversation: await inbox.toWire(
        await workflow.setLabels(agentRef(request), request.params.id, request.body.label_ids),
      ),
    }),
  );

  app.get<{ Querystring: { site_id?: string } }>(
    "/conversations/counts",
    { ...guard, schema: { querystring: countsQuery } },
    async (request): Promise<ViewCounts> =>
      workflow.viewCounts(agentRef(request), validate.optionalId(request.query.site_id, "site_id")),
  );

  app.get("/labels", { ...guard, schema: { querystring: noQuery } }, async (): Promise<LabelsResponse> => ({
    labels: await workflow.labels(),
  }));

  app.post<{ Body: CreateLabelRequest }>(
    "/labels",
    { ...ownerOnly, schema: { querystring: noQuery, body: createLabelBody } },
    async (request, reply) => reply.code(201).send({ label: await workflow.createLabel(request.body) }),
  );

  app.patch<{ Params: { id: string }; Body: UpdateLabelRequest }>(
    "/labels/:id",
    { ...ownerOnly, schema: { params: idParams, querystring: noQuery, body: updateLabelBody } },
    async (request) => ({ label: await workflow.updateLabel(request.params.id, request.body) }),
  );

  app.delete<{ Params: { id: string } }>(
    "/labels/:id",
    { ...ownerOnly, schema: { params: idParams, querystring: noQuery, body: noBody } },
    async (request) => {
      await workflow.deleteLabel(request.params.id);
      return { ok: true };
    },
  );
}
