/** A table's figures as CSV: a plain link with the report's query, downloaded with the session cookie. */
import type { ReportTable } from "@parley/protocol";
import { exportUrl } from "../../state/reports.js";

export function CsvLink(props: { query: Record<string, string>; table: ReportTable; label: string }) {
  return (
    <a class="button ghost reports-csv" href={exportUrl(props.query, props.table)} download>
      {props.label}
    </a>
  );
}
