/**
 * Over the list: the assignee views with their live counts (mine / unassigned / all), the state
 * (open, pending, snoozed, resolved, all), a label (when there are any), the site (when there
 * are several) and the search box.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { type Messages, useT } from "../i18n/index.js";
import { ASSIGNEE_LABELS, STATE_LABELS, type AssigneeView, type StateView } from "../state/filters.js";
import { severalSites } from "../state/sites.js";
import { countOf, countText } from "../state/viewCounts.js";
import { useInbox, useStore } from "./useInbox.js";

const ASSIGNEE_VIEWS = Object.keys(ASSIGNEE_LABELS) as AssigneeView[];
const STATE_VIEWS = Object.keys(STATE_LABELS) as StateView[];
const ASSIGNEE_KEYS = {
  mine: "viewMine",
  unassigned: "viewUnassigned",
  all: "viewAll",
} as const satisfies Record<AssigneeView, keyof Messages>;
const STATE_KEYS = {
  open: "stateOpen",
  pending: "statePending",
  snoozed: "stateSnoozed",
  resolved: "stateResolved",
  all: "stateAll",
} as const satisfies Record<StateView, keyof Messages>;
/** Search as the agent types, once they pause. */
const SEARCH_DELAY_MS = 300;

export function ListFilters() {
  const store = useStore();
  const filter = useInbox((state) => state.list.filter);
  const sites = useInbox((state) => state.sites);
  const labels = useInbox((state) => state.labels);
  const counts = useInbox((state) => state.viewCounts);
  const t = useT();
  const [search, setSearch] = useState(filter.search);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => () => clearTimeout(timer.current), []);

  const searchFor = (text: string): void => {
    setSearch(text);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const current = store.state.list.filter;
      if (current.search !== text) store.setFilter({ ...current, search: text });
    }, SEARCH_DELAY_MS);
  };

  return (
    <div class="filters">
      <div class="views" role="group" aria-label={t.assignedToGroup}>
        {ASSIGNEE_VIEWS.map((view) => {
          const count = countOf(counts, view);
          return (
            <button
              key={view}
              type="button"
              data-view={view}
              aria-pressed={filter.assignee === view}
              onClick={() => store.setFilter({ ...store.state.list.filter, assignee: view })}
            >
              {t[ASSIGNEE_KEYS[view]]}
              {count !== null && (
                <span class="view-count" title={t.openOrPending(countText(count))}>
                  <span class="sr">, </span>
                  {countText(count)}
                  <span class="sr">{t.openOrPendingSr}</span>
                </span>
              )}
            </button>
          );
        })}
      </div>
      <div class="filter-row">
        <select
          class="state-filter"
          aria-label={t.stateFilter}
          value={filter.state}
          onChange={(event) => {
            const state = event.currentTarget.value as StateView;
            store.setFilter({ ...store.state.list.filter, state });
          }}
        >
          {STATE_VIEWS.map((state) => (
            <option key={state} value={state}>
              {t[STATE_KEYS[state]]}
            </option>
          ))}
        </select>
        {(labels.length > 0 || filter.labelId !== null) && (
          <select
            class="label-filter"
            aria-label={t.labelFilter}
            value={filter.labelId === null ? "" : String(filter.labelId)}
            onChange={(event) => {
              const value = event.currentTarget.value;
              store.setFilter({ ...store.state.list.filter, labelId: value === "" ? null : Number(value) });
            }}
          >
            <option value="">{t.anyLabel}</option>
            {labels.map((label) => (
              <option key={label.id} value={String(label.id)}>
                {label.name}
              </option>
            ))}
          </select>
        )}
      </div>
      {severalSites(sites) && (
        <select
          class="site-filter"
          aria-label={t.siteFilter}
          value={filter.siteId === null ? "" : String(filter.siteId)}
          onChange={(event) => {
            const value = event.currentTarget.value;
            store.setFilter({ ...store.state.list.filter, siteId: value === "" ? null : Number(value) });
          }}
        >
          <option value="">{t.allSites}</option>
          {sites.map((site) => (
            <option key={site.id} value={String(site.id)}>
              {site.archived_at === null ? site.name : t.archivedSite(site.name)}
            </option>
          ))}
        </select>
      )}
      <input
        type="search"
        class="search"
        placeholder={t.searchPlaceholder}
        aria-label={t.searchLabel}
        value={search}
        onInput={(event) => searchFor(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape" && search !== "") searchFor("");
        }}
      />
    </div>
  );
}
