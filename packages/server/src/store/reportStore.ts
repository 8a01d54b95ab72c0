/**
 * The store's part for reports (protocol §18): the figures of a period, computed by the database
 * over UTC ranges the caller cut (chat/reportPeriod.ts: local days and hours of a time zone).
 */

/** A UTC range `[start, end)` (ISO times) and what its rows are grouped as. */
export interface ReportRange {
  key: number;
  start: string;
  end: string;
}

export interface ReportQuery {
  /** The period's local days, in order, contiguous: `key` is the day's index. */
  days: ReportRange[];
  /** The period's local hours: `key` is weekday (0 Monday) × 24 + hour. */
  hours: ReportRange[];
  /** Only these sites ([]: none); undefined: every site. */
  siteIds?: number[];
  /** Only this agent's figures, by the per-agent rule of each figure (§18). */
  agentId?: number;
}

/**
 * What a row counts. Each has its own per-agent rule: conversations, visitor messages, resolutions
 * and unanswered ones go to the assignee; agent messages to their sender; a first response to the
 * agent who sent it; a rating to the agent it is credited to.
 */
export type ReportKind =
  | "conversation"
  | "visitor_message"
  | "agent_message"
  | "resolution"
  | "first_response"
  | "unanswered"
  | "score1"
  | "score2"
  | "score3"
  | "score4"
  | "score5";

/** How the figures are grouped: by day (its key), site (id), agent (id), or the whole period. */
export type ReportGrouping = "day" | "site" | "agent" | "total";

export interface ReportRow {
  grouping: ReportGrouping;
  /** The day's key, the site's or agent's id; 0 for the total. */
  key: number;
  kind: ReportKind;
  count: number;
  /** Nearest-rank percentiles of whole seconds, for `resolution` and `first_response` only. */
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface StoredReport {
  /** Only groups with something to count. */
  rows: ReportRow[];
  /** Conversations created per hour key; keys with none are absent. */
  busiestHours: Array<{ key: number; count: number }>;
}

export interface ReportStore {
  report(query: ReportQuery): Promise<StoredReport>;
}
