/**
 * One site's settings, one form per part (name, widget, origins, hours, team), each saved on its
 * own with PATCH /sites/:id: a refusal is shown beside the part it is about, and every other
 * part keeps what was typed in it.
 */
import { useT } from "../../i18n/index.js";
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { MAX_SITE_NAME_LENGTH, type Site } from "@parley/protocol";
import { routePath } from "../../state/routes.js";
import { onLinkClick } from "../router.js";
import { useInbox } from "../useInbox.js";
import { EmbedSnippet } from "./EmbedSnippet.js";
import { HoursForm } from "./HoursForm.js";
import { IdentityForm } from "./IdentityForm.js";
import { OriginsForm } from "./OriginsForm.js";
import { TeamForm } from "./TeamForm.js";
import { SaveOutcome, useSave } from "./useSave.js";
import { useSiteUpdate } from "./useSiteUpdate.js";
import { WebhooksSection } from "./WebhooksForm.js";
import { WidgetForm } from "./WidgetForm.js";

export function SiteEditor({ siteId }: { siteId: number }) {
  const site = useInbox((state) => state.sites.find((known) => known.id === siteId));
  const loaded = useInbox((state) => state.sitesLoaded);
  const t = useT();
  const back = (
    <a class="back-link" href={routePath({ page: "settings", section: "sites" })} onClick={onLinkClick}>
      ← {t.allSites}
    </a>
  );
  if (site === undefined)
    return (
      <section>
        {back}
        <p class="muted">{loaded ? t.noSuchSite : t.loading}</p>
      </section>
    );
  return (
    <section class="site-editor" aria-labelledby="site-title">
      {back}
      <h2 id="site-title" class="section-title">
        {site.name}
        {site.is_default && <span class="tag">{t.defaultTag}</span>}
        {site.archived_at !== null && <span class="tag archived">{t.archivedTag}</span>}
      </h2>
      <EmbedSnippet site={site} />
      <NameForm site={site} />
      <WidgetForm site={site} />
      <OriginsForm site={site} />
      <HoursForm site={site} />
      <TeamForm site={site} />
      <IdentityForm site={site} />
      <WebhooksSection siteId={site.id} />
      {!site.is_default && <ArchiveForm site={site} />}
    </section>
  );
}

function NameForm({ site }: { site: Site }) {
  const update = useSiteUpdate(site);
  const [name, setName] = useState(site.name);
  const save = useSave();
  const t = useT();
  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    void save.run(() => update({ name: name.trim() }));
  };
  return (
    <form class="card form" onSubmit={submit} aria-labelledby="site-name-title">
      <h3 id="site-name-title">{t.siteNameTitle}</h3>
      <label>
        {t.siteName}
        <input
          name="name"
          required
          maxLength={MAX_SITE_NAME_LENGTH}
          value={name}
          aria-invalid={save.error !== null}
          aria-describedby={save.error !== null ? "site-name-error" : undefined}
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </label>
      <SaveOutcome save={save} id="site-name-error" />
      <button type="submit" class="primary" disabled={save.busy}>
        {t.saveName}
      </button>
    </form>
  );
}

function ArchiveForm({ site }: { site: Site }) {
  const update = useSiteUpdate(site);
  const save = useSave();
  const t = useT();
  const archived = site.archived_at !== null;
  return (
    <div class="card form" role="group" aria-labelledby="archive-title">
      <h3 id="archive-title">{archived ? t.archived : t.archive}</h3>
      <p class="muted small">{archived ? t.archivedIntro : t.archiveIntro}</p>
      <SaveOutcome save={save} />
      <button
        type="button"
        class={archived ? "primary" : "ghost danger-text"}
        disabled={save.busy}
        onClick={() =>
          void save.run(() => update({ archived: !archived }), archived ? t.restored : t.archivedDone)
        }
      >
        {archived ? t.restoreSite : t.archiveSite}
      </button>
    </div>
  );
}
