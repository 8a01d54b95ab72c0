/**
 * Reports (protocol §18): the period, time zone, site and agent to report on, then the figures
 * the server computed: totals, charts per day, the busiest hours, ratings, and tables per site
 * and per agent, each with its CSV. Owners see the team; an agent sees their own figures (the
 * server enforces it; the page only leaves out the agent filter and says so).
 */
import type { ReportResponse } from "@parley/protocol";
import { useEffect, useMemo, useState } from "preact/hooks";
import { messageOf } from "../../api/http.js";
import { reports } from "../../api/reports.js";
import { formatLocale, useLocale } from "../../i18n/index.js";
import { useReportsT } from "../../i18n/reports/index.js";
import {
  browserTimeZone,
  defaultFilters,
  PERIODS,
  periodDays,
  periodProblem,
  reportIsEmpty,
  reportQuery,
  timeZones,
  type Period,
  type ReportFilters,
} from "../../state/reports.js";
import { useInbox } from "../useInbox.js";
import { Breakdown } from "./Breakdown.js";
import { DayCharts } from "./DayCharts.js";
import { CsvLink } from "./CsvLink.js";
import { HeatMap } from "./HeatMap.js";
import { RatingBars, Totals } from "./Totals.js";

type Loaded =
  | { kind: "loading" }
  | { kind: "failed"; error: string }
  | { kind: "ready"; report: ReportResponse; query: Record<string, string> };

export function ReportsPage() {
  const t = useReportsT();
  useLocale();
  const locale = formatLocale();
  const me = useInbox((state) => state.me);
  const sites = useInbox((state) => state.sites);
  const agents = useInbox((state) => state.agents);
  const owner = me.role === "owner";
  const [filters, setFilters] = useState<ReportFilters>(() => defaultFilters(new Date()));
  const [loaded, setLoaded] = useState<Loaded>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  /** A new report is on its way (the last one stays shown meanwhile). */
  const [busy, setBusy] = useState(true);
  const zones = useMemo(() => timeZones(browserTimeZone()), []);

  const problem = filters.period === "custom" ? periodProblem(filters.since, filters.until, t) : null;

  useEffect(() => {
    if (problem !== null) return;
    let current = true;
    const query = reportQuery(filters, new Date());
    setBusy(true);
    setLoaded((before) => (before.kind === "ready" ? before : { kind: "loading" }));
    reports.get(query).then(
      (report) => {
        if (!current) return;
        setLoaded({ kind: "ready", report, query });
        setBusy(false);
      },
      (caught: unknown) => {
        if (!current) return;
        setLoaded({ kind: "failed", error: messageOf(caught) });
        setBusy(false);
      },
    );
    return () => {
      current = false;
    };
    // The problem follows from the filters; asking again needs only them and a retry.
  }, [filters, attempt, problem === null]);

  const choosePeriod = (period: Period): void => {
    // A custom period starts from the days shown, so switching to it changes nothing at once.
    const shown = periodDays(filters, new Date());
    setFilters({ ...filters, ...shown, period });
  };

  return (
    <main class="page reports" aria-busy={busy && problem === null}>
      <h1>{owner ? t.reportsHeading : t.reportsYourFigures}</h1>
      <p class="muted small">{owner ? t.reportsIntro : t.reportsAgentIntro}</p>
      <form
        class="reports-filters card"
        aria-label={t.reportsFilters}
        onSubmit={(event) => event.preventDefault()}
      >
        <div class="reports-filter">
          <label for="reports-period">{t.reportsPeriod}</label>
          <select
            id="reports-period"
            value={filters.period}
            onChange={(event) => choosePeriod(event.currentTarget.value as Period)}
          >
            {PERIODS.map((period) => (
              <option key={period} value={period}>
                {period === "custom" ? t.reportsCustom : t.reportsLast(Number(period))}
              </option>
            ))}
          </select>
        </div>
        {filters.period === "custom" && (
          <>
            <div class="reports-filter">
              <label for="reports-since">{t.reportsSince}</label>
              <input
                type="date"
                id="reports-since"
                value={filters.since}
                onChange={(event) => setFilters({ ...filters, since: event.currentTarget.value })}
              />
            </div>
            <div class="reports-filter">
              <label for="reports-until">{t.reportsUntil}</label>
              <input
                type="date"
                id="reports-until"
                value={filters.until}
                onChange={(event) => setFilters({ ...filters, until: event.currentTarget.value })}
              />
            </div>
          </>
        )}
        <div class="reports-filter">
          <label for="reports-zone">{t.reportsTimeZone}</label>
          <select
            id="reports-zone"
            value={filters.timeZone}
            onChange={(event) => setFilters({ ...filters, timeZone: event.currentTarget.value })}
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        </div>
        {sites.length > 1 && (
          <div class="reports-filter">
            <label for="reports-site">{t.reportsSite}</label>
            <select
              id="reports-site"
              value={filters.siteId}
              onChange={(event) => setFilters({ ...filters, siteId: event.currentTarget.value })}
            >
              <option value="">{t.reportsAllSites}</option>
              {sites.map((site) => (
                <option key={site.id} value={String(site.id)}>
                  {site.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {owner && (
          <div class="reports-filter">
            <label for="reports-agent">{t.reportsAgent}</label>
            <select
              id="reports-agent"
              value={filters.agentId}
              onChange={(event) => setFilters({ ...filters, agentId: event.currentTarget.value })}
            >
              <option value="">{t.reportsAllAgents}</option>
              {agents.map((agent) => (
                <option key={agent.id} value={String(agent.id)}>
                  {agent.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </form>
      {problem !== null && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {loaded.kind === "failed" ? (
        <div class="card reports-state">
          <p class="error" role="alert">
            {loaded.error}
          </p>
          <button type="button" class="primary" onClick={() => setAttempt(attempt + 1)}>
            {t.tryAgain}
          </button>
        </div>
      ) : loaded.kind === "loading" ? (
        <p class="muted" role="status">
          {t.loading}
        </p>
      ) : reportIsEmpty(loaded.report) ? (
        <div class="card reports-state reports-empty" role="status">
          <p>
            <strong>{t.reportsEmpty}</strong>
          </p>
          <p class="muted small">{t.reportsEmptyHint}</p>
        </div>
      ) : (
        <Figures report={loaded.report} query={loaded.query} owner={owner} locale={locale} />
      )}
    </main>
  );
}

function Figures(props: {
  report: ReportResponse;
  query: Record<string, string>;
  owner: boolean;
  locale: string;
}) {
  const t = useReportsT();
  const { report, query, owner, locale } = props;
  return (
    <>
      <Totals figures={report.totals} locale={locale} />
      <section class="reports-section" aria-labelledby="reports-days">
        <div class="reports-section-head">
          <h2 id="reports-days">{t.reportsByDay}</h2>
          <CsvLink query={query} table="days" label={t.reportsDownloadDays} />
        </div>
        <DayCharts days={report.days} locale={locale} />
      </section>
      <div class="reports-pair">
        <HeatMap hours={report.busiest_hours} locale={locale} />
        <section class="card reports-ratings" aria-labelledby="reports-ratings">
          <h2 id="reports-ratings">{t.reportsRatings}</h2>
          <RatingBars ratings={report.totals.ratings} locale={locale} />
        </section>
      </div>
      {(owner || report.sites.length > 1) && (
        <Breakdown
          id="reports-sites"
          title={t.reportsPerSite}
          rows={report.sites}
          locale={locale}
          csv={<CsvLink query={query} table="sites" label={t.reportsDownloadSites} />}
        />
      )}
      {owner && (
        <Breakdown
          id="reports-agents"
          title={t.reportsPerAgent}
          rows={report.agents}
          locale={locale}
          csv={<CsvLink query={query} table="agents" label={t.reportsDownloadAgents} />}
        />
      )}
    </>
  );
}
