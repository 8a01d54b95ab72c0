/**
 * Personal API tokens on the Account page: an agent names a token, picks its scope and expiry,
 * copies it from the one answer that holds it, sees when each was last used and revokes it.
 * Owners may also list and revoke everyone's.
 */
import { useT } from "../i18n/index.js";
import type { ApiToken, ApiTokenScope } from "@parley/protocol";
import type { JSX } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { apiTokens } from "../api/apiTokens.js";
import { messageOf } from "../api/http.js";
import { fullTime, relativeTime } from "../state/relativeTime.js";
import { ConfirmDialog } from "./ConfirmDialog.js";
import { useInbox } from "./useInbox.js";

const EXPIRIES = [
  { days: 30, label: "expiresIn30" },
  { days: 90, label: "expiresIn90" },
  { days: 365, label: "expiresInYear" },
  { days: null, label: "expiresNever" },
] as const;

const SCOPES = {
  read: "scopeRead",
  read_write: "scopeReadWrite",
} as const satisfies Record<ApiTokenScope, string>;

export function ApiTokens() {
  const me = useInbox((state) => state.me);
  const agents = useInbox((state) => state.agents);
  const [everyone, setEveryone] = useState(false);
  const t = useT();
  const [tokens, setTokens] = useState<readonly ApiToken[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  const load = useCallback(async () => {
    try {
      setTokens((await apiTokens.list(everyone)).api_tokens);
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }, [everyone]);
  useEffect(() => void load(), [load]);

  const revoke = async (token: ApiToken) => {
    try {
      await apiTokens.revoke(token.id);
      setRevoking(null);
      await load();
    } catch (caught) {
      setRevoking(null);
      setError(messageOf(caught));
    }
  };

  const ownerOf = (token: ApiToken) =>
    agents.find((agent) => agent.id === token.agent_id)?.name ?? t.agentNumber(token.agent_id);

  return (
    <section class="card form" aria-labelledby="api-tokens-title">
      <h2 id="api-tokens-title">{t.apiTokens}</h2>
      <p class="muted small">
        {t.apiTokensIntro} <code>Authorization: Bearer …</code>. {t.apiReferenceAt}{" "}
        <a href="/api/reference">/api/reference</a>.
      </p>
      {me.role === "owner" && (
        <label class="inline-check">
          <input
            type="checkbox"
            checked={everyone}
            onChange={(event) => setEveryone(event.currentTarget.checked)}
          />
          {t.showEveryToken}
        </label>
      )}
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {created !== null && <CreatedToken {...created} onDone={() => setCreated(null)} />}
      {tokens !== null && tokens.length === 0 && <p>{t.noTokensYet}</p>}
      {tokens !== null && tokens.length > 0 && (
        <ul class="tokens" aria-label={t.yourApiTokens}>
          {tokens.map((token) => (
            <li key={token.id} class="token" data-token-id={token.id}>
              <div>
                <strong>{token.name}</strong> <code>{token.hint}…</code> · {t[SCOPES[token.scope]]}
                {everyone && <> · {ownerOf(token)}</>}
              </div>
              <div class="muted small">
                {t.tokenCreated}{" "}
                <time title={fullTime(token.created_at)}>{relativeTime(token.created_at, Date.now())}</time>
                {" · "}
                {token.last_used_at === null ? (
                  t.neverUsed
                ) : (
                  <>
                    {t.lastUsed}{" "}
                    <time title={fullTime(token.last_used_at)}>
                      {relativeTime(token.last_used_at, Date.now())}
                    </time>
                  </>
                )}
                {" · "}
                {token.expires_at === null ? t.neverExpires : t.expiresAt(fullTime(token.expires_at))}
              </div>
              <button type="button" class="ghost danger-text" onClick={() => setRevoking(token)}>
                {t.revoke}
                <span class="sr"> {token.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <NewTokenForm
        onCreated={(name, token) => {
          setCreated({ name, token });
          void load();
        }}
      />
      {revoking !== null && (
        <ConfirmDialog
          title={t.revokeTitle(revoking.name)}
          confirmLabel={t.revokeToken}
          danger
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(null)}
        >
          <p>{t.revokeBody}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** The token itself, shown this once: the server keeps only its hash. */
function CreatedToken(props: { name: string; token: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const t = useT();
  const copy = async () => {
    await navigator.clipboard.writeText(props.token);
    setCopied(true);
  };
  return (
    <div class="created-token" role="status">
      <p>{t.tokenReady(props.name)}</p>
      <label>
        {t.newToken}
        <input readOnly value={props.token} onFocus={(event) => event.currentTarget.select()} />
      </label>
      <div class="actions">
        <button type="button" class="primary" onClick={() => void copy()}>
          {copied ? t.copied : t.copyToken}
        </button>
        <button type="button" class="ghost" onClick={props.onDone}>
          {t.done}
        </button>
      </div>
    </div>
  );
}

function NewTokenForm(props: { onCreated: (name: string, token: string) => void }) {
  const [name, setName] = useState("");
  const [scope, setScope] = useState<ApiTokenScope>("read");
  const [days, setDays] = useState<number | null>(90);
  const t = useT();
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    try {
      const answer = await apiTokens.create({ name: name.trim(), scope, expires_in_days: days });
      setName("");
      setError(null);
      props.onCreated(answer.api_token.name, answer.token);
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  return (
    <form class="token-form" onSubmit={(event) => void submit(event)} aria-label={t.createApiToken}>
      <label>
        {t.tokenName}
        <input
          name="token-name"
          required
          maxLength={80}
          placeholder={t.tokenNamePlaceholder}
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </label>
      <label>
        {t.access}
        <select value={scope} onChange={(event) => setScope(event.currentTarget.value as ApiTokenScope)}>
          {Object.entries(SCOPES).map(([value, label]) => (
            <option key={value} value={value}>
              {t[label]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.expires}
        <select
          value={days === null ? "never" : String(days)}
          onChange={(event) =>
            setDays(event.currentTarget.value === "never" ? null : Number(event.currentTarget.value))
          }
        >
          {EXPIRIES.map((expiry) => (
            <option key={expiry.label} value={expiry.days === null ? "never" : String(expiry.days)}>
              {t[expiry.label]}
            </option>
          ))}
        </select>
      </label>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary">
        {t.createToken}
      </button>
    </form>
  );
}
