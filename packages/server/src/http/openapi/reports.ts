/**
 * (§18) What the report routes answer: shapes spread into shapes.ts, routes into responses.ts.
 * Its own copies of their helpers: shapes.ts imports this file. The export answers CSV,
 * described by its media type.
 */
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
const count = { type: "integer", minimum: 0 } as const;
const seconds = nullable({ type: "integer", minimum: 0 });
const date = { type: "string", format: "date" } as const;

const figures = {
  conversations: count,
  visitor_messages: count,
  agent_messages: count,
  resolved: count,
  unanswered: count,
  first_response: ref("DurationStats"),
  resolution: ref("DurationStats"),
  ratings: ref("RatingStats"),
};

export const REPORT_SHAPES = {
  DurationStats: object({ count, median_seconds: seconds, p90_seconds: seconds }),
  RatingStats: object({
    count,
    average: nullable({ type: "number", minimum: 1, maximum: 5 }),
    satisfied_percent: nullable({ type: "number", minimum: 0, maximum: 100 }),
    scores: { type: "array", items: count, minItems: 5, maxItems: 5 },
  }),
  ReportFigures: object(figures),
  ReportDay: object({ date, ...figures }),
  ReportBreakdown: object({ id, name: { type: "string" }, ...figures }),
  ReportResponse: object({
    since: date,
    until: date,
    time_zone: { type: "string" },
    site_id: nullable(id),
    agent_id: nullable(id),
    totals: ref("ReportFigures"),
    days: { type: "array", items: ref("ReportDay") },
    busiest_hours: {
      type: "array",
      minItems: 7,
      maxItems: 7,
      items: { type: "array", items: count, minItems: 24, maxItems: 24 },
    },
    sites: { type: "array", items: ref("ReportBreakdown") },
    agents: { type: "array", items: ref("ReportBreakdown") },
  }),
} as const;

export const REPORT_ROUTES: Record<string, { summary: string; responses: Record<number, unknown> }> = {
  "GET /reports": {
    summary:
      "The team's figures over local days in a time zone: totals, per day, busiest hours, per site and per agent (owners; an agent sees their own)",
    responses: { 200: ref("ReportResponse") },
  },
  "GET /reports/export": {
    summary: "The same figures as CSV, one row per day, site or agent (`table`)",
    responses: {
      200: {
        description: "CSV: a header row, then one row per day, site or agent; a null is an empty cell",
        content: { "text/csv": { schema: { type: "string" } } },
      },
    },
  },
};
