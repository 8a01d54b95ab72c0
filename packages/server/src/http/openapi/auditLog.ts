/**
 * (§17) The audit log's answer: shapes and route, spread into shapes.ts and responses.ts. Its
 * own copies of their helpers: shapes.ts imports this file.
 */
import { AUDIT_ACTIONS } from "@parley/protocol";

const nullable = <T extends object>(schema: T) => ({ anyOf: [schema, { type: "null" }] });
const ref = (name: string) => ({ $ref: `${name}#` });
function object(properties: Record<string, unknown>) {
  return {
    type: "object",
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  } as const;
}

const id = { type: "integer", minimum: 1 } as const;
const text = { type: "string" } as const;

const AuditEntry = object({
  id,
  action: { type: "string", enum: [...AUDIT_ACTIONS] },
  agent_id: nullable(id),
  agent_name: nullable(text),
  api_token_id: nullable(id),
  ip_address: nullable(text),
  target_type: nullable(text),
  target_id: nullable(id),
  site_id: nullable(id),
  details: {
    type: "object",
    additionalProperties: {
      anyOf: [
        { type: "string" },
        { type: "number" },
        { type: "boolean" },
        { type: "null" },
        { type: "array", items: { type: "string" } },
      ],
    },
  },
  at: { type: "string", format: "date-time" },
});

export const AUDIT_LOG_SHAPES = {
  AuditEntry,
  AuditLogResponse: object({
    entries: { type: "array", items: ref("AuditEntry") },
    next_cursor: nullable(id),
  }),
} as const;

export const AUDIT_LOG_ROUTES: Record<string, { summary: string; responses: Record<number, unknown> }> = {
  "GET /audit_log": {
    summary: "Who did what, newest first, by action, agent and time (owners)",
    responses: { 200: ref("AuditLogResponse") },
  },
};
