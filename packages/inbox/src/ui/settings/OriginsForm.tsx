/**
 * Where the site's widget may run: one origin a line. The server judges them; its refusal
 * (which origin, and why) is shown under the field, and the text stays as typed.
 */
import { useT } from "../../i18n/index.js";
import { MAX_SITE_ORIGINS, type Site } from "@parley/protocol";
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { parseOrigins } from "../../state/siteDraft.js";
import { SaveOutcome, useSave } from "./useSave.js";
import { useSiteUpdate } from "./useSiteUpdate.js";

export function OriginsForm({ site }: { site: Site }) {
  const update = useSiteUpdate(site);
  const [text, setText] = useState(site.allowed_origins.join("\n"));
  const save = useSave();
  const t = useT();
  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const origins = parseOrigins(text);
    if (origins.length > MAX_SITE_ORIGINS) {
      save.refuse(t.atMostOrigins(MAX_SITE_ORIGINS));
      return;
    }
    void save.run(async () => {
      const saved = await update({ allowed_origins: origins });
      setText(saved.allowed_origins.join("\n"));
    });
  };
  const invalid = save.error !== null;
  return (
    <form class="card form" onSubmit={submit} aria-labelledby="origins-title">
      <h3 id="origins-title">{t.allowedOrigins}</h3>
      <label>
        {t.originsOneALine}
        <textarea
          name="allowed_origins"
          rows={4}
          spellcheck={false}
          autoCapitalize="off"
          placeholder="https://www.example.com"
          value={text}
          aria-invalid={invalid}
          aria-describedby={invalid ? "origins-hint origins-error" : "origins-hint"}
          onInput={(event) => setText(event.currentTarget.value)}
        />
      </label>
      <p class="muted small" id="origins-hint">
        The pages the widget may run on, as <code>https://host</code> or <code>https://host:port</code>.
        {site.is_default && " Empty: the server's ALLOWED_ORIGINS."}
      </p>
      <SaveOutcome save={save} id="origins-error" />
      <button type="submit" class="primary" disabled={save.busy}>
        {t.saveOrigins}
      </button>
    </form>
  );
}
