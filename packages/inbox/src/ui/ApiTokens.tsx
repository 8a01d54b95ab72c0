/**
 * Personal API tokens on the Account page: an agent names a token, picks its scope and expiry,
 * copies it from the one answer that holds it, sees when each was last used and revokes it.
 * Owners may also list and revoke everyone's.
 */
import type { ApiToken, ApiTokenScope } from "@parley/protocol";
import type { JSX } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { apiTokens } from "../api/apiTokens.js";
import { messageOf } from "../api/http.js";
import { fullTime, relativeTime } from "../state/relativeTime.js";
import { ConfirmDialog } from "./ConfirmDialog.js";
import { useInbox } from "./useInbox.js";

const EXPIRIES = [
  { days: 30, label: "in 30 days" },
  { days: 90, label: "in 90 days" },
  { days: 365, label: "in a year" },
  { days: null, label: "never" },
] as const;

const SCOPES: Record<ApiTokenScope, string> = {
  read: "Read only",
  read_write: "Read and write",
};

export function ApiTokens() {
  const me = useInbox((state) => state.me);
  const agents = useInbox((state) => state.agents);
  const [everyone, setEveryone] = useState(false);
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
    agents.find((agent) => agent.id === token.agent_id)?.name ?? `Agent ${token.agent_id}`;

  return (
    <section class="card form" aria-labelledby="api-tokens-title">
      <h2 id="api-tokens-title">API tokens</h2>
      <p class="muted small">
        A token lets a program (a CRM, a script, a bot) act as you over the REST API: send it as{" "}
        <code>Authorization: Bearer …</code>. The reference is at <a href="/api/reference">/api/reference</a>.
      </p>
      {me.role === "owner" && (
        <label class="inline-check">
          <input
            type="checkbox"
            checked={everyone}
            onChange={(event) => setEveryone(event.currentTarget.checked)}
          />
          Show every agent's tokens
        </label>
      )}
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {created !== null && <CreatedToken {...created} onDone={() => setCreated(null)} />}
      {tokens !== null && tokens.length === 0 && <p>No tokens yet.</p>}
      {tokens !== null && tokens.length > 0 && (
        <ul class="tokens" aria-label="Your API tokens">
          {tokens.map((token) => (
            <li key={token.id} class="token" data-token-id={token.id}>
              <div>
                <strong>{token.name}</strong> <code>{token.hint}…</code> · {SCOPES[token.scope]}
                {everyone && <> · {ownerOf(token)}</>}
              </div>
              <div class="muted small">
                Created{" "}
                <time title={fullTime(token.created_at)}>{relativeTime(token.created_at, Date.now())}</time>
                {" · "}
                {token.last_used_at === null ? (
                  "never used"
                ) : (
                  <>
                    last used{" "}
                    <time title={fullTime(token.last_used_at)}>
                      {relativeTime(token.last_used_at, Date.now())}
                    </time>
                  </>
                )}
                {" · "}
                {token.expires_at === null ? "never expires" : `expires ${fullTime(token.expires_at)}`}
              </div>
              <button type="button" class="ghost danger-text" onClick={() => setRevoking(token)}>
                Revoke<span class="sr"> {token.name}</span>
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
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke token"
          danger
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(null)}
        >
          <p>Programs using it are refused from their next request. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** The token itself, shown this once: the server keeps only its hash. */
function CreatedToken(props: { name: string; token: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(props.token);
    setCopied(true);
  };
  return (
    <div class="created-token" role="status">
      <p>
        <strong>{props.name}</strong> is ready. Copy it now: it is shown only this once.
      </p>
      <label>
        New token
        <input readOnly value={props.token} onFocus={(event) => event.currentTarget.select()} />
      </label>
      <div class="actions">
        <button type="button" class="primary" onClick={() => void copy()}>
          {copied ? "Copied" : "Copy token"}
        </button>
        <button type="button" class="ghost" onClick={props.onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

function NewTokenForm(props: { onCreated: (name: string, token: string) => void }) {
  const [name, setName] = useState("");
  const [scope, setScope] = useState<ApiTokenScope>("read");
  const [days, setDays] = useState<number | null>(90);
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
    <form class="token-form" onSubmit={(event) => void submit(event)} aria-label="Create an API token">
      <label>
        Token name
        <input
          name="token-name"
          required
          maxLength={80}
          placeholder="CRM sync"
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </label>
      <label>
        Access
        <select value={scope} onChange={(event) => setScope(event.currentTarget.value as ApiTokenScope)}>
          {Object.entries(SCOPES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Expires
        <select
          value={days === null ? "never" : String(days)}
          onChange={(event) =>
            setDays(event.currentTarget.value === "never" ? null : Number(event.currentTarget.value))
          }
        >
          {EXPIRIES.map((expiry) => (
            <option key={expiry.label} value={expiry.days === null ? "never" : String(expiry.days)}>
              {expiry.label}
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
        Create token
      </button>
    </form>
  );
}
