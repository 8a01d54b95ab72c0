/**
 * A report's table as CSV (protocol §18): a header row, then one row per day, site or agent.
 * Nulls are empty cells; a cell a spreadsheet would run as a formula (it begins with `=`, `+`,
 * `-` or `@`: a site or agent name, say) is prefixed with `'` so it stays text.
 */
import type { ReportFigures, ReportResponse, ReportTable } from "@parley/protocol";

const FIGURE_COLUMNS = [
  "conversations",
  "visitor_messages",
  "agent_messages",
  "resolved",
  "unanswered",
  "first_response_count",
  "first_response_median_seconds",
  "first_response_p90_seconds",
  "resolution_count",
  "resolution_median_seconds",
  "resolution_p90_seconds",
  "ratings_count",
  "ratings_average",
  "ratings_satisfied_percent",
] as const;

type Cell = string | number | null;

function figureCells(figures: ReportFigures): Cell[] {
  return [
    figures.conversations,
    figures.visitor_messages,
    figures.agent_messages,
    figures.resolved,
    figures.unanswered,
    figures.first_response.count,
    figures.first_response.median_seconds,
    figures.first_response.p90_seconds,
    figures.resolution.count,
    figures.resolution.median_seconds,
    figures.resolution.p90_seconds,
    figures.ratings.count,
    figures.ratings.average,
    figures.ratings.satisfied_percent,
  ];
}

export function csvCell(value: Cell): string {
  if (value === null) return "";
  let text = String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function reportCsv(report: ReportResponse, table: ReportTable): string {
  const rows: Cell[][] =
    table === "days"
      ? [["date", ...FIGURE_COLUMNS], ...report.days.map((day) => [day.date, ...figureCells(day)])]
      : [
          ["id", "name", ...FIGURE_COLUMNS],
          ...report[table].map((row) => [row.id, row.name, ...figureCells(row)]),
        ];
  return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** The file's name: what it is and which days. */
export function reportCsvFilename(report: ReportResponse, table: ReportTable): string {
  return `parley-report-${table}-${report.since}-${report.until}.csv`;
}
