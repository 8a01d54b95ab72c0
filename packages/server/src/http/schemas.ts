/**
 * What routes read from the query, the path and the body, as JSON schemas. Every route states
 * all three (app.ts runs Ajv without type coercion), so a key given twice (an array), a number
 * for a string, an array for an object or a value far too long is a 400 before any handler sees
 * it, and keys a route does not read are dropped (Fastify's removeAdditional).
 */

/** Ids in paths and queries, as the store hands them out: 1 to 16 digits. */
export const idString = { type: "string", pattern: "^[1-9][0-9]{0,15}$" } as const;

export const idParams = {
  type: "object",
  required: ["id"],
  properties: { id: idString },
  additionalProperties: false,
} as const;

/** A route that reads nothing from the query: whatever is there is dropped. */
export const noQuery = { type: "object", properties: {}, additionalProperties: false } as const;

/**
 * A route that reads no body: none at all (the old admin page sends DELETE without one), or an
 * object whose keys are dropped. Anything else (an array, a string) is a 400.
 */
export const noBody = { type: ["object", "null"], properties: {}, additionalProperties: false } as const;
