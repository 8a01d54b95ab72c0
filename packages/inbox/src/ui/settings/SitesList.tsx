/** Every site, with its key and state, and a form to create one (which then opens in the editor). */
import { useT } from "../../i18n/index.js";
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
  const t = useT();
  return (
    <section aria-labelledby="sites-title">
      <h2 id="sites-title" class="section-title">
        {t.tabSites}
      </h2>
      <p class="muted small">{t.sitesIntro}</p>
      {!loaded ? (
        <p class="muted">{t.loading}</p>
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
  const t = useT();
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
        {site.is_default && <span class="tag">{t.defaultTag}</span>}
        {site.archived_at !== null && <span class="tag archived">{t.archivedTag}</span>}
        <div class="muted small">
          {t.siteKey} <code>{site.key}</code>
        </div>
      </div>
    </li>
  );
}

function CreateSite() {
  const store = useStore();
  const [name, setName] = useState("");
  const save = useSave();
  const t = useT();

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
      <h2 id="create-site">{t.addASite}</h2>
      <label>
        {t.name}
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
        {t.addSite}
      </button>
    </form>
  );
}
