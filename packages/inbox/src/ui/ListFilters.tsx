/** The view tabs (open / closed / mine / unassigned), the site (when there are several) and the search box over the list. */
import { useEffect, useRef, useState } from "preact/hooks";
import { VIEW_LABELS, type ListView } from "../state/filters.js";
import { severalSites } from "../state/sites.js";
import { useInbox, useStore } from "./useInbox.js";

const VIEWS = Object.keys(VIEW_LABELS) as ListView[];
/** Search as the agent types, once they pause. */
const SEARCH_DELAY_MS = 300;

export function ListFilters() {
  const store = useStore();
  const filter = useInbox((state) => state.list.filter);
  const sites = useInbox((state) => state.sites);
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
      <div class="views" role="group" aria-label="Show">
        {VIEWS.map((view) => (
          <button
            key={view}
            type="button"
            aria-pressed={filter.view === view}
            onClick={() => store.setFilter({ ...store.state.list.filter, view })}
          >
            {VIEW_LABELS[view]}
          </button>
        ))}
      </div>
      {severalSites(sites) && (
        <select
          class="site-filter"
          aria-label="Site"
          value={filter.siteId === null ? "" : String(filter.siteId)}
          onChange={(event) => {
            const value = event.currentTarget.value;
            store.setFilter({ ...store.state.list.filter, siteId: value === "" ? null : Number(value) });
          }}
        >
          <option value="">All sites</option>
          {sites.map((site) => (
            <option key={site.id} value={String(site.id)}>
              {site.archived_at === null ? site.name : `${site.name} (archived)`}
            </option>
          ))}
        </select>
      )}
      <input
        type="search"
        class="search"
        placeholder="Search names and messages"
        aria-label="Search conversations"
        value={search}
        onInput={(event) => searchFor(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape" && search !== "") searchFor("");
        }}
      />
    </div>
  );
}
