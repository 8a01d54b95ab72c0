/**
 * Identity verification (owners, §12): the site's identity secret (hidden until asked for, then
 * copied), rotating it after a confirmation that says every hash made with the old one stops
 * working, whether an id without a valid hash is refused, whether pages keep their query
 * strings, and the back-end code that makes the hash, in five languages.
 */
import type { Site } from "@parley/protocol";
import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { messageOf } from "../../api/http.js";
import { rest } from "../../api/rest.js";
import {
  identitySnippet,
  SECRET_VARIABLE,
  SNIPPET_LANGUAGES,
  type SnippetLanguage,
} from "../../state/identitySnippets.js";
import { ConfirmDialog } from "../ConfirmDialog.js";
import { SaveOutcome, useSave } from "./useSave.js";
import { useSiteUpdate } from "./useSiteUpdate.js";

export function IdentityForm({ site }: { site: Site }) {
  return (
    <div class="card form identity" role="group" aria-labelledby="identity-title">
      <h3 id="identity-title">Identity verification</h3>
      <p class="muted small">
        Your back end signs the signed-in user's id with this site's secret; the page passes the id and the
        hash to the widget. A verified visitor is one contact on every device, and agents see the id marked
        verified. An id sent without a valid hash is only a claim.
      </p>
      <IdentitySecret site={site} />
      <IdentityToggles site={site} />
      <HashSnippets />
    </div>
  );
}

function IdentitySecret({ site }: { site: Site }) {
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const field = useRef<HTMLInputElement>(null);

  const run = async (work: () => Promise<{ secret: string }>, done: string | null): Promise<void> => {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      setSecret((await work()).secret);
      setStatus(done);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  const copy = async (): Promise<void> => {
    if (secret === null) return;
    try {
      await navigator.clipboard.writeText(secret);
      setStatus("Copied. Keep it on your server only.");
    } catch {
      field.current?.select();
      setStatus("Selected: press Ctrl+C (⌘C) to copy it.");
    }
  };

  return (
    <div class="identity-secret-part">
      {secret === null ? (
        <button
          type="button"
          class="ghost"
          disabled={busy}
          onClick={() => void run(() => rest.identitySecret(site.id), null)}
        >
          Reveal secret
        </button>
      ) : (
        <div class="identity-secret">
          <label class="sr" for={`identity-secret-${site.id}`}>
            Identity secret
          </label>
          <input
            ref={field}
            id={`identity-secret-${site.id}`}
            readOnly
            value={secret}
            spellcheck={false}
            autoComplete="off"
            onFocus={(event) => event.currentTarget.select()}
          />
          <button type="button" class="primary" onClick={() => void copy()}>
            Copy secret
          </button>
          <button type="button" class="ghost" onClick={() => setSecret(null)}>
            Hide
          </button>
        </div>
      )}
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {status !== null && (
        <p class="ok" role="status">
          {status}
        </p>
      )}
      <button type="button" class="ghost danger-text" disabled={busy} onClick={() => setConfirming(true)}>
        Rotate secret…
      </button>
      {confirming && (
        <ConfirmDialog
          title="Rotate the identity secret?"
          confirmLabel="Rotate secret"
          danger
          busy={busy}
          onConfirm={() =>
            void run(
              () => rest.rotateIdentitySecret(site.id),
              "A new secret is in place. Put it in your back end now.",
            )
          }
          onCancel={() => setConfirming(false)}
        >
          <p>
            Every hash made with the current secret stops working at once: until your back end signs with the
            new one, signed-in visitors fail verification
            {site.identity_required ? " and cannot identify" : " and chat as unverified claims"}.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function IdentityToggles({ site }: { site: Site }) {
  const update = useSiteUpdate(site);
  const save = useSave();
  const [required, setRequired] = useState(site.identity_required);
  const [keepQuery, setKeepQuery] = useState(site.keep_query_strings);
  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const patch = {
      ...(required === site.identity_required ? {} : { identity_required: required }),
      ...(keepQuery === site.keep_query_strings ? {} : { keep_query_strings: keepQuery }),
    };
    if (Object.keys(patch).length === 0) {
      save.refuse("Nothing has changed.");
      return;
    }
    void save.run(() => update(patch));
  };
  return (
    <form class="identity-toggles" onSubmit={submit} aria-label="Identity and context settings">
      <label class="switch">
        <input
          type="checkbox"
          name="identity_required"
          checked={required}
          aria-describedby={`identity-required-hint-${site.id}`}
          onChange={(event) => setRequired(event.currentTarget.checked)}
        />
        Require verified identity
      </label>
      <p class="muted small" id={`identity-required-hint-${site.id}`}>
        When on, an id sent without a valid hash is refused instead of kept as an unverified claim.
      </p>
      <label class="switch">
        <input
          type="checkbox"
          name="keep_query_strings"
          checked={keepQuery}
          aria-describedby={`keep-query-hint-${site.id}`}
          onChange={(event) => setKeepQuery(event.currentTarget.checked)}
        />
        Keep query strings in visited pages
      </label>
      <p class="muted small" id={`keep-query-hint-${site.id}`}>
        Off: agents see pages without their <code>?…</code> part, which may hold personal data. UTM tags are
        read either way.
      </p>
      <SaveOutcome save={save} />
      <button type="submit" class="primary" disabled={save.busy}>
        Save identity settings
      </button>
    </form>
  );
}

function HashSnippets() {
  const [language, setLanguage] = useState<SnippetLanguage>("node");
  return (
    <div class="hash-snippets">
      <label>
        Back-end code that makes the hash
        <select
          name="snippet_language"
          value={language}
          onChange={(event) => setLanguage(event.currentTarget.value as SnippetLanguage)}
        >
          {SNIPPET_LANGUAGES.map(({ id, label }) => (
            <option key={id} value={id}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <pre class="code-block" aria-label="Hash code" data-snippet={language}>
        <code>{identitySnippet(language)}</code>
      </pre>
      <p class="muted small">
        Set <code>{SECRET_VARIABLE}</code> on your server to the secret above; never put the secret in a page.
        Then, on the page: <code>{'Parley("identify", { id: "<user id>", hash: "<hash>" })'}</code>.
      </p>
    </div>
  );
}
