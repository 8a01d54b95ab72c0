/** Every site, with its key and state, and a form to create one (which then opens in the editor). */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { MAX_SITE_NAME_LENGTH, type Site } from "@parley/protocol";
import { rest } from "../../api/rest.js";
import { routePath } from "../../state/routes.js";
import { navigate, onLinkClick } from "../router.js";
import { useInbox, useStore } from "../useInbox.js";
import { SaveOutcome, useSave } from "./useSave.js";

export function SitesList() {
  const sites = useInbox((state) => state.sites);
  const loaded = useInbox((state) => state.sitesLoaded);
  return (
    <section aria-labelledby="sites-title">
      <h2 id="sites-title" class="section-title">
        Sites
      </h2>
      <p class="muted small">
        Each website that shows the chat is a site: its own widget, origins, business hours and team.
      </p>
      {!loaded ? (
        <p class="muted">Loading…</p>
      ) : (
        <ul class="team sites">
          {sites.map((site) => (
            <SiteRow key={site.id} site={site} />
          ))}
        </ul>
      )}
      <CreateSite />
    </section>
  );
}

function SiteRow({ site }: { site: Site }) {
  return (
    <li class="card agent site-row" data-site-key={site.key}>
      <div>
        <a
          class="site-name"
          href={routePath({ page: "settings", section: "site", siteId: site.id })}
          onClick={onLinkClick}
        >
          {site.name}
        </a>
        {site.is_default && <span class="tag">Default</span>}
        {site.archived_at !== null && <span class="tag archived">Archived</span>}
        <div class="muted small">
          Key <code>{site.key}</code>
        </div>
      </div>
    </li>
  );
}

function CreateSite() {
  const store = useStore();
  const [name, setName] = useState("");
  const save = useSave();

  const submit = async (event: JSX.TargetedSubmitEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    let created: Site | undefined;
    const ok = await save.run(async () => {
      ({ site: created } = await rest.createSite({ name: name.trim() }));
    });
    if (ok && created !== undefined) {
      store.siteChanged(created);
      navigate(routePath({ page: "settings", section: "site", siteId: created.id }));
    }
  };

  return (
    <form class="card form" onSubmit={(event) => void submit(event)} aria-labelledby="create-site">
      <h2 id="create-site">Add a site</h2>
      <label>
        Name
        <input
          name="site-name"
          required
          maxLength={MAX_SITE_NAME_LENGTH}
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </label>
      <SaveOutcome save={save} />
      <button type="submit" class="primary" disabled={save.busy}>
        Add site
      </button>
    </form>
  );
}
