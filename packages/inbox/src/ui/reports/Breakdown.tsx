/** The figures per site or per agent, one row each; on a phone each row stacks under the column names. */
import type { ReportBreakdown } from "@parley/protocol";
import type { ComponentChildren } from "preact";
import { useReportsT } from "../../i18n/reports/index.js";
import { formatNumber, humanDuration } from "../../state/reports.js";

export function Breakdown(props: {
  id: string;
  title: string;
  rows: ReportBreakdown[];
  locale: string;
  csv: ComponentChildren;
}) {
  const t = useReportsT();
  const number = (value: number | null, digits = 0): string => formatNumber(value, props.locale, digits);
  const columns = [
    t.reportsName,
    t.reportsConversations,
    t.reportsMessages,
    t.reportsResolved,
    t.reportsFirstResponse,
    t.reportsResolution,
    t.reportsUnanswered,
    t.reportsSatisfaction,
  ];
  return (
    <section class="reports-section" aria-labelledby={props.id}>
      <div class="reports-section-head">
        <h2 id={props.id}>{props.title}</h2>
        {props.csv}
      </div>
      <table class="reports-table card" aria-labelledby={props.id}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.id} data-id={row.id}>
              <th scope="row" data-label={t.reportsName}>
                {row.name}
              </th>
              <td data-label={t.reportsConversations}>{number(row.conversations)}</td>
              <td data-label={t.reportsMessages}>{number(row.visitor_messages + row.agent_messages)}</td>
              <td data-label={t.reportsResolved}>{number(row.resolved)}</td>
              <td data-label={t.reportsFirstResponse}>
                {humanDuration(row.first_response.median_seconds, t)}
              </td>
              <td data-label={t.reportsResolution}>{humanDuration(row.resolution.median_seconds, t)}</td>
              <td data-label={t.reportsUnanswered}>{number(row.unanswered)}</td>
              <td data-label={t.reportsSatisfaction}>
                {row.ratings.count === 0
                  ? "—"
                  : `${t.reportsSatisfied(number(row.ratings.satisfied_percent, 1))} (${number(row.ratings.count)})`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
