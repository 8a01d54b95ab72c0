/** Reports (protocol §18): the figures as JSON; the CSV tables are plain links (see state/reports.ts). */
import type { ReportResponse } from "@parley/protocol";
import { request } from "./http.js";

export const reports = {
  get: (query: Record<string, string>) => request<ReportResponse>("GET", "/reports", { query }),
};
