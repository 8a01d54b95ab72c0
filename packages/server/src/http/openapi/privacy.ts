/**
 * (§17) What the privacy routes answer, spread into responses.ts; EraseResponse is spread into
 * shapes.ts. The exports answer a ZIP archive, described by its media type.
 */
const count = { type: "integer", minimum: 0 } as const;

export const PRIVACY_SHAPES = {
  EraseResponse: {
    type: "object",
    properties: { conversations: count, messages: count, files: count, contacts: count },
    required: ["conversations", "messages", "files", "contacts"],
    additionalProperties: false,
  },
} as const;

const zipArchive = {
  description: "A ZIP archive: the JSON document and `files/<attachment id>-<name>`",
  content: { "application/zip": { schema: { type: "string", format: "binary" } } },
} as const;

export const PRIVACY_ROUTES: Record<string, { summary: string; responses: Record<number, unknown> }> = {
  "GET /contacts/:id/export": {
    summary:
      "A contact's data as one ZIP: contact.json (contact, context, conversations, notes) and files (owners)",
    responses: { 200: zipArchive },
  },
  "GET /conversations/:id/export": {
    summary: "A conversation's data as one ZIP: conversation.json and its files (owners)",
    responses: { 200: zipArchive },
  },
  "POST /contacts/:id/erase": {
    summary: 'Erase a contact and everything of it; the body must be {"confirm": "erase"} (owners)',
    responses: { 200: { $ref: "EraseResponse#" } },
  },
  "POST /conversations/:id/erase": {
    summary: 'Erase a conversation and everything of it; the body must be {"confirm": "erase"} (owners)',
    responses: { 200: { $ref: "EraseResponse#" } },
  },
};
