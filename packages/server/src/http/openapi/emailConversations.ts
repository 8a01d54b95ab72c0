/**
 * (§16) What the conversation's email routes answer, spread into responses.ts; the shapes they
 * name are in shapes.ts's spread of EMAIL_CONVERSATION_SHAPES.
 */
const ok = {
  type: "object",
  properties: { ok: { type: "boolean", const: true } },
  required: ["ok"],
  additionalProperties: false,
} as const;

export const EMAIL_CONVERSATION_SHAPES = {
  ResumeResponse: {
    type: "object",
    properties: {
      token: { type: "string" },
      conversation_id: { type: "integer", minimum: 1 },
    },
    required: ["token", "conversation_id"],
    additionalProperties: false,
  },
} as const;

export const EMAIL_CONVERSATION_ROUTES: Record<
  string,
  { summary: string; responses: Record<number, unknown> }
> = {
  "POST /widget/resume": {
    summary: "Exchange a reply email's reopen link for its conversation's token (403: invalid or expired)",
    responses: { 200: { $ref: "ResumeResponse#" } },
  },
  "POST /widget/transcript": {
    summary:
      "Email the visitor their conversation (to `email`, also saved, or the contact's); at most 3 an hour",
    responses: { 202: ok },
  },
  "POST /conversations/:id/transcript": {
    summary:
      "Email the conversation's transcript to `email` or the contact's (409: email is off; 422: no address)",
    responses: { 202: ok },
  },
};
