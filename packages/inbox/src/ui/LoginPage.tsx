/** The login form; also where a lapsed, revoked or ended session lands, with the reason. */
import { useT } from "../i18n/index.js";
import type { Agent } from "@parley/protocol";
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { messageOf } from "../api/http.js";
import { rest } from "../api/rest.js";

export function LoginPage(props: { notice: string | null; onLoggedIn: (agent: Agent) => void }) {
  const t = useT();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: JSX.TargetedSubmitEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { agent } = await rest.login(username.trim(), password);
      props.onLoggedIn(agent);
    } catch (caught) {
      setError(messageOf(caught));
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="card login-card" onSubmit={(event) => void submit(event)}>
        <h1 class="brand">Parley</h1>
        <p class="muted">{t.loginIntro}</p>
        {props.notice && error === null && (
          <p class="note" role="status">
            {props.notice}
          </p>
        )}
        {error !== null && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <label>
          {t.username}
          <input
            name="username"
            autoComplete="username"
            required
            autoFocus
            value={username}
            onInput={(event) => setUsername(event.currentTarget.value)}
          />
        </label>
        <label>
          {t.password}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
        </label>
        <button class="primary" type="submit" disabled={busy}>
          {busy ? t.signingIn : t.signIn}
        </button>
      </form>
    </main>
  );
}
