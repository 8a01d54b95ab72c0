/**
 * Settings → Audit log (owners, §17): who did what and when, newest first, 50 at a time with
 * the server's cursor; filtered by action, agent and a range of days. On a phone each row
 * stacks its cells under their column names (the table stays a table for screen readers).
 */
import type { AuditEntry } from "@parley/protocol";
import { AUDIT_ACTIONS } from "@parley/protocol";
import { useEffect, useRef, useState } from "preact/hooks";
import { messageOf } from "../../api/http.js";
import { privacy } from "../../api/privacy.js";
import { useT } from "../../i18n/index.js";
import {
  actionWords,
  actorWords,
  auditQuery,
  detailsText,
  NO_AUDIT_FILTERS,
  targetWords,
  type AuditFilters,
} from "../../state/privacy.js";
import { fullTime } from "../../state/relativeTime.js";
import { useInbox } from "../useInbox.js";
import "./audit.css";

interface Page {
  entries: AuditEntry[];
  nextCursor: number | null;
}

export function AuditLog() {
  const t = useT();
  const agents = useInbox((state) => state.agents);
  const [filters, setFilters] = useState<AuditFilters>(NO_AUDIT_FILTERS);
  const [page, setPage] = useState<Page | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The filters the shown page is for: a "Load more" answer for older filters is dropped. */
  const shownFilters = useRef(filters);

  useEffect(() => {
    let current = true;
    shownFilters.current = filters;
    setBusy(true);
    setError(null);
    privacy.auditLog(auditQuery(filters, null)).then(
      (answer) => {
        if (!current) return;
        setPage({ entries: answer.entries, nextCursor: answer.next_cursor });
        setBusy(false);
      },
      (caught: unknown) => {
        if (!current) return;
        setError(messageOf(caught));
        setBusy(false);
      },
    );
    return () => {
      current = false;
    };
  }, [filters]);

  const loadMore = (): void => {
    if (page?.nextCursor == null) return;
    setBusy(true);
    setError(null);
    const asked = filters;
    privacy.auditLog(auditQuery(asked, page.nextCursor)).then(
      (answer) => {
        if (shownFilters.current !== asked) return;
        setPage({ entries: [...page.entries, ...answer.entries], nextCursor: answer.next_cursor });
        setBusy(false);
      },
      (caught: unknown) => {
        if (shownFilters.current !== asked) return;
        setError(messageOf(caught));
        setBusy(false);
      },
    );
  };

  return (
    <section class="card audit" aria-labelledby="audit-title">
      <h2 id="audit-title">{t.auditHeading}</h2>
      <p class="muted small">{t.auditIntro}</p>
      <form class="audit-filters" aria-label={t.auditFilters} onSubmit={(event) => event.preventDefault()}>
        <div class="audit-filter">
          <label for="audit-action">{t.auditWhat}</label>
          <select
            id="audit-action"
            name="action"
            value={filters.action}
            onChange={(event) =>
              setFilters({ ...filters, action: event.currentTarget.value as AuditFilters["action"] })
            }
          >
            <option value="">{t.auditAllActions}</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {actionWords(action, t)}
              </option>
            ))}
          </select>
        </div>
        <div class="audit-filter">
          <label for="audit-agent">{t.auditAgent}</label>
          <select
            id="audit-agent"
            name="agent"
            value={filters.agentId}
            onChange={(event) => setFilters({ ...filters, agentId: event.currentTarget.value })}
          >
            <option value="">{t.auditAllAgents}</option>
            {agents.map((agent) => (
              <option key={agent.id} value={String(agent.id)}>
                {agent.name}
              </option>
            ))}
          </select>
        </div>
        <div class="audit-filter">
          <label for="audit-since">{t.auditSince}</label>
          <input
            type="date"
            id="audit-since"
            name="since"
            value={filters.since}
            onChange={(event) => setFilters({ ...filters, since: event.currentTarget.value })}
          />
        </div>
        <div class="audit-filter">
          <label for="audit-until">{t.auditUntil}</label>
          <input
            type="date"
            id="audit-until"
            name="until"
            value={filters.until}
            onChange={(event) => setFilters({ ...filters, until: event.currentTarget.value })}
          />
        </div>
      </form>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {page === null ? (
        error === null && <p class="muted">{t.loading}</p>
      ) : page.entries.length === 0 ? (
        <p class="muted">{t.auditEmpty}</p>
      ) : (
        <AuditTable entries={page.entries} />
      )}
      {page?.nextCursor != null && (
        <button type="button" class="ghost" disabled={busy} onClick={loadMore}>
          {busy ? t.loading : t.auditLoadMore}
        </button>
      )}
    </section>
  );
}

function AuditTable({ entries }: { entries: AuditEntry[] }) {
  const t = useT();
  const columns = [t.auditWhen, t.auditWho, t.auditWhat, t.auditTarget, t.auditAddress, t.auditDetails];
  return (
    <table class="audit-table">
      <caption class="sr">{t.auditHeading}</caption>
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
        {entries.map((entry) => (
          <tr key={entry.id}>
            <td data-label={t.auditWhen}>
              <time dateTime={entry.at}>{fullTime(entry.at)}</time>
            </td>
            <td data-label={t.auditWho}>{actorWords(entry, t)}</td>
            <td data-label={t.auditWhat}>{actionWords(entry.action, t)}</td>
            <td data-label={t.auditTarget}>{targetWords(entry)}</td>
            <td data-label={t.auditAddress}>{entry.ip_address ?? ""}</td>
            <td data-label={t.auditDetails}>{detailsText(entry.details, t)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
