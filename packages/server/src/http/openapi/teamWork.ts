/**
 * (§15) The agents' side of the team workflow: shapes and routes, spread into shapes.ts and
 * responses.ts. Its own copies of their helpers: shapes.ts imports this file.
 */
const nullable = <T extends object>(schema: T) => ({ anyOf: [schema, { type: "null" }] });
const ref = (name: string) => ({ $ref: `${name}#` });
function object(properties: Record<string, unknown>, optional: string[] = []) {
  return {
    type: "object",
    properties,
    required: Object.keys(properties).filter((key) => !optional.includes(key)),
    additionalProperties: false,
  } as const;
}

const time = { type: "string", format: "date-time" } as const;
const id = { type: "integer", minimum: 1 } as const;

const Note = object(
  {
    id,
    conversation_id: id,
    agent: ref("AgentRef"),
    content: { type: "string" },
    mention_ids: { type: "array", items: id },
    client_id: { type: "string" },
    created_at: time,
  },
  ["client_id"],
);

const CannedReply = object({
  id,
  scope: { type: "string", enum: ["personal", "shared"] },
  shortcut: { type: "string" },
  content: { type: "string" },
  site_id: nullable(id),
  agent_id: nullable(id),
  created_at: time,
  updated_at: time,
});

/** After AgentRef (shapes.ts spreads them at its end). */
export const TEAM_WORK_SHAPES = {
  Note,
  NotesResponse: object({ notes: { type: "array", items: ref("Note") } }),
  CannedReply,
  CannedRepliesResponse: object({ canned_replies: { type: "array", items: ref("CannedReply") } }),
} as const;

const ok = object({ ok: { type: "boolean", const: true } });
const note = object({ note: ref("Note") });
const cannedReply = object({ canned_reply: ref("CannedReply") });

export const TEAM_WORK_ROUTES: Record<string, { summary: string; responses: Record<number, unknown> }> = {
  "GET /conversations/:id/notes": {
    summary: "A conversation's private notes, oldest first (agents only; never shown to the visitor)",
    responses: { 200: ref("NotesResponse") },
  },
  "POST /conversations/:id/notes": {
    summary: "Add a private note (200: a retry's client_id found the stored note)",
    responses: { 201: note, 200: note },
  },
  "GET /canned_replies": {
    summary: "Your personal canned replies and the shared ones (of ?site_id=, or of your sites)",
    responses: { 200: ref("CannedRepliesResponse") },
  },
  "POST /canned_replies": {
    summary: "Add a canned reply (shared ones: owners); 409 when the shortcut is taken",
    responses: { 201: cannedReply },
  },
  "PATCH /canned_replies/:id": {
    summary: "Change a canned reply (yours; shared ones: owners)",
    responses: { 200: cannedReply },
  },
  "DELETE /canned_replies/:id": {
    summary: "Delete a canned reply (yours; shared ones: owners)",
    responses: { 200: ok },
  },
  "PUT /agents/me/availability": {
    summary: "Choose your availability: online, away or offline",
    responses: { 200: object({ agent: ref("Agent") }) },
  },
};
