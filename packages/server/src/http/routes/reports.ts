/**
 * (§18) Reports over REST: the figures as JSON, or one of their tables as CSV. Owners and agents
 * (an agent gets their own figures), by cookie or API token. chat/reports.ts checks the values
 * and words the errors; the schema only bounds the shape.
 */
import { REPORT_TABLES, type ReportTable } from "@parley/protocol";
import type { FastifyInstance } from "fastify";
import { reportCsv, reportCsvFilename } from "../../chat/reportCsv.js";
import { contentDisposition } from "../../files/filenames.js";
import { currentAgent, requireAgentOrToken } from "../agentAuth.js";
import type { RouteDeps } from "../routeDeps.js";

const value = { type: "string", maxLength: 100 } as const;
const reportFields = { since: value, until: value, time_zone: value, site_id: value, agent_id: value };

const reportQuery = { type: "object", properties: reportFields, additionalProperties: false } as const;
const exportQuery = {
  type: "object",
  properties: { ...reportFields, table: { type: "string", enum: [...REPORT_TABLES] } },
  required: ["table"],
  additionalProperties: false,
} as const;

type Query = Record<keyof typeof reportFields, string | undefined>;

export function reportRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { reports } = deps.chat;
  const guard = { preHandler: requireAgentOrToken(deps.chat), config: { apiTokens: true } };

  app.get<{ Querystring: Query }>("/reports", { ...guard, schema: { querystring: reportQuery } }, (request) =>
    reports.report(currentAgent(request), request.query),
  );

  app.get<{ Querystring: Query & { table: ReportTable } }>(
    "/reports/export",
    { ...guard, schema: { querystring: exportQuery } },
    async (request, reply) => {
      const { table, ...question } = request.query;
      const report = await reports.report(currentAgent(request), question);
      return reply
        .headers({
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": contentDisposition("attachment", reportCsvFilename(report, table)),
          "cache-control": "no-store",
        })
        .send(reportCsv(report, table));
    },
  );
}
