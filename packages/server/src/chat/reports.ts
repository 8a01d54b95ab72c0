/**
 * Reports (protocol §18): what the team did over a period, for owners (every site and agent,
 * filtered as they ask) and for an agent (their own figures, on the sites they answer).
 *
 * This file checks the question and says who sees what; reportPeriod.ts cuts the period into
 * UTC ranges by the time zone's clock; the store computes every figure (queries/reports.ts).
 */
import {
  MAX_REPORT_DAYS,
  type DurationStats,
  type RatingStats,
  type ReportBreakdown,
  type ReportFigures,
  type ReportResponse,
} from "@parley/protocol";
import type { ReportGrouping, ReportKind, ReportRow, StoredReport } from "../store/reportStore.js";
import type { StoredAgent, Store } from "../store/store.js";
import { invalid, notFound } from "./errors.js";
import { dayMs, knownTimeZone, reportPeriod } from "./reportPeriod.js";
import { answersSite } from "./siteScope.js";
import * as validate from "./validate.js";

/** The question as it came (REST query strings). */
export interface ReportRequest {
  since?: unknown;
  until?: unknown;
  time_zone?: unknown;
  site_id?: unknown;
  agent_id?: unknown;
}

type Reader = Pick<StoredAgent, "id" | "name" | "role">;

const MAX_TIME_ZONE_LENGTH = 64;

function dateValue(value: unknown, name: string): string {
  if (typeof value !== "string" || !Number.isFinite(dayMs(value)))
    throw invalid(`${name} must be a date (YYYY-MM-DD)`);
  return value;
}

function timeZoneValue(value: unknown): string {
  if (value === undefined || value === "") return "UTC";
  if (typeof value !== "string" || value.length > MAX_TIME_ZONE_LENGTH || !knownTimeZone(value))
    throw invalid("time_zone must be a known IANA time zone (e.g. Europe/Paris)");
  return value;
}

function optionalId(value: unknown, name: string): number | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "string" && /^[1-9][0-9]{0,15}$/.test(value)) return Number(value);
  return validate.id(value, name);
}

/** The figures of one group, from the store's rows of it (missing kinds count 0). */
class FigureIndex {
  private readonly rows = new Map<string, ReportRow>();

  constructor(report: StoredReport) {
    for (const row of report.rows) this.rows.set(`${row.grouping}:${row.key}:${row.kind}`, row);
  }

  figures(grouping: ReportGrouping, key: number): ReportFigures {
    const row = (kind: ReportKind) => this.rows.get(`${grouping}:${key}:${kind}`);
    const count = (kind: ReportKind) => row(kind)?.count ?? 0;
    const durations = (kind: ReportKind): DurationStats => {
      const found = row(kind);
      return {
        count: found?.count ?? 0,
        median_seconds: found?.medianSeconds ?? null,
        p90_seconds: found?.p90Seconds ?? null,
      };
    };
    const scores: RatingStats["scores"] = [
      count("score1"),
      count("score2"),
      count("score3"),
      count("score4"),
      count("score5"),
    ];
    const rated = scores.reduce((sum, n) => sum + n, 0);
    const points = scores.reduce((sum, n, index) => sum + n * (index + 1), 0);
    return {
      conversations: count("conversation"),
      visitor_messages: count("visitor_message"),
      agent_messages: count("agent_message"),
      resolved: count("resolution"),
      unanswered: count("unanswered"),
      first_response: durations("first_response"),
      resolution: durations("resolution"),
      ratings: {
        count: rated,
        average: rated === 0 ? null : Math.round((points / rated) * 100) / 100,
        satisfied_percent: rated === 0 ? null : Math.round(((scores[3] + scores[4]) / rated) * 1000) / 10,
        scores,
      },
    };
  }
}

export class Reports {
  constructor(private readonly store: Pick<Store, "report" | "listSites" | "listAgents">) {}

  async report(reader: Reader, request: ReportRequest): Promise<ReportResponse> {
    const since = dateValue(request.since, "since");
    const until = dateValue(request.until, "until");
    if (since > until) throw invalid("since must not be after until");
    const days = (dayMs(until) - dayMs(since)) / 86_400_000 + 1;
    if (days > MAX_REPORT_DAYS) throw invalid(`A report covers at most ${MAX_REPORT_DAYS} days`);
    const timeZone = timeZoneValue(request.time_zone);
    const siteId = optionalId(request.site_id, "site_id");
    // An agent sees their own figures only, whoever they asked for.
    const agentId = reader.role === "owner" ? optionalId(request.agent_id, "agent_id") : reader.id;

    const answered = (await this.store.listSites()).filter((site) => answersSite(reader, site));
    if (siteId !== null && !answered.some((site) => site.id === siteId)) throw notFound("Site");
    const sites = siteId === null ? answered : answered.filter((site) => site.id === siteId);
    const agents =
      reader.role === "owner"
        ? (await this.store.listAgents())
            .filter((agent) => agentId === null || agent.id === agentId)
            .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id)
        : [reader];

    const period = reportPeriod(since, until, timeZone);
    const stored = await this.store.report({
      days: period.days,
      hours: period.hours,
      // Owners unfiltered read every site (deleted ones' figures too); others their sites only.
      ...(reader.role === "owner" && siteId === null ? {} : { siteIds: sites.map((site) => site.id) }),
      ...(agentId === null ? {} : { agentId }),
    });
    const index = new FigureIndex(stored);
    const busiest = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    for (const { key, count } of stored.busiestHours) busiest[Math.floor(key / 24)]![key % 24] = count;
    const breakdown = (grouping: ReportGrouping, id: number, name: string): ReportBreakdown => ({
      id,
      name,
      ...index.figures(grouping, id),
    });
    return {
      since,
      until,
      time_zone: timeZone,
      site_id: siteId,
      agent_id: agentId,
      totals: index.figures("total", 0),
      days: period.dates.map((date, key) => ({ date, ...index.figures("day", key) })),
      busiest_hours: busiest,
      sites: sites.map((site) => breakdown("site", site.id, site.name)),
      agents: agents.map((agent) => breakdown("agent", agent.id, agent.name)),
    };
  }
}
