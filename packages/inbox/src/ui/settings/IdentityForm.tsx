/**
 * Identity verification (owners, §12): the site's identity secret (hidden until asked for, then
 * copied), rotating it after a confirmation that says every hash made with the old one stops
 * working, whether an id without a valid hash is refused, whether pages keep their query
 * strings, and the back-end code that makes the hash, in five languages.
 */
import { useT } from "../../i18n/index.js";
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
  const t = useT();
  return (
    <div class="card form identity" role="group" aria-labelledby="identity-title">
      <h3 id="identity-title">{t.identityVerification}</h3>
      <p class="muted small">{t.identityIntro}</p>
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
  const t = useT();
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
      setStatus(t.secretCopied);
    } catch {
      field.current?.select();
      setStatus(t.selectedCopy);
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
          {t.revealSecret}
        </button>
      ) : (
        <div class="identity-secret">
          <label class="sr" for={`identity-secret-${site.id}`}>
            {t.identitySecret}
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
            {t.copySecret}
          </button>
          <button type="button" class="ghost" onClick={() => setSecret(null)}>
            {t.hide}
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
        {t.rotateSecretMenu}
      </button>
      {confirming && (
        <ConfirmDialog
          title={t.rotateSecretTitle}
          confirmLabel={t.rotateSecret}
          danger
          busy={busy}
          onConfirm={() => void run(() => rest.rotateIdentitySecret(site.id), t.secretRotated)}
          onCancel={() => setConfirming(false)}
        >
          <p>{site.identity_required ? t.rotateBodyRequired : t.rotateBodyOptional}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function IdentityToggles({ site }: { site: Site }) {
  const update = useSiteUpdate(site);
  const save = useSave();
  const t = useT();
  const [required, setRequired] = useState(site.identity_required);
  const [keepQuery, setKeepQuery] = useState(site.keep_query_strings);
  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const patch = {
      ...(required === site.identity_required ? {} : { identity_required: required }),
      ...(keepQuery === site.keep_query_strings ? {} : { keep_query_strings: keepQuery }),
    };
    if (Object.keys(patch).length === 0) {
      save.refuse(t.nothingChanged);
      return;
    }
    void save.run(() => update(patch));
  };
  return (
    <form class="identity-toggles" onSubmit={submit} aria-label={t.identitySettings}>
      <label class="switch">
        <input
          type="checkbox"
          name="identity_required"
          checked={required}
          aria-describedby={`identity-required-hint-${site.id}`}
          onChange={(event) => setRequired(event.currentTarget.checked)}
        />
        {t.requireVerified}
      </label>
      <p class="muted small" id={`identity-required-hint-${site.id}`}>
        {t.requireVerifiedHint}
      </p>
      <label class="switch">
        <input
          type="checkbox"
          name="keep_query_strings"
          checked={keepQuery}
          aria-describedby={`keep-query-hint-${site.id}`}
          onChange={(event) => setKeepQuery(event.currentTarget.checked)}
        />
        {t.keepQueryStrings}
      </label>
      <p class="muted small" id={`keep-query-hint-${site.id}`}>
        {t.keepQueryHintBefore} <code>?…</code> {t.keepQueryHintAfter}
      </p>
      <SaveOutcome save={save} />
      <button type="submit" class="primary" disabled={save.busy}>
        {t.saveIdentity}
      </button>
    </form>
  );
}

function HashSnippets() {
  const [language, setLanguage] = useState<SnippetLanguage>("node");
  const t = useT();
  return (
    <div class="hash-snippets">
      <label>
        {t.hashCodeLabel}
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
      <pre class="code-block" aria-label={t.hashCode} data-snippet={language}>
        <code>{identitySnippet(language)}</code>
      </pre>
      <p class="muted small">
        {t.setVariable} <code>{SECRET_VARIABLE}</code> {t.secretHintAfter}{" "}
        <code>{'Parley("identify", { id: "<user id>", hash: "<hash>" })'}</code>.
      </p>
    </div>
  );
}
