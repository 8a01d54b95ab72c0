/** The agent's own settings: name, photo, password, how the inbox gets their attention, API tokens. */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { messageOf } from "../api/http.js";
import { rest } from "../api/rest.js";
import { ApiTokens } from "./ApiTokens.js";
import { NotificationSettings } from "./NotificationSettings.js";
import { routePath } from "../state/routes.js";
import { PhotoForm } from "./PhotoForm.js";
import { onLinkClick } from "./router.js";
import { useInbox, useStore } from "./useInbox.js";

export function AccountPage(props: { onPasswordChanged: () => void }) {
  return (
    <main class="page">
      <h1>Account</h1>
      <NameForm />
      <PhotoForm />
      <PasswordForm onChanged={props.onPasswordChanged} />
      <NotificationSettings />
      <section class="card form" aria-labelledby="canned-title">
        <h2 id="canned-title">Canned replies</h2>
        <p class="muted">Saved answers you pick by typing / at the start of a reply.</p>
        <p>
          <a href={routePath({ page: "canned" })} onClick={onLinkClick}>
            Manage canned replies
          </a>
        </p>
      </section>
      <ApiTokens />
    </main>
  );
}

function NameForm() {
  const store = useStore();
  const me = useInbox((state) => state.me);
  const [name, setName] = useState(me.name);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async (event: JSX.TargetedSubmitEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    try {
      const { agent } = await rest.updateMe({ name: name.trim() });
      store.setMe(agent);
      setMessage({ ok: true, text: "Saved. Visitors see this name on your replies." });
    } catch (caught) {
      setMessage({ ok: false, text: messageOf(caught) });
    }
  };

  return (
    <form class="card form" onSubmit={(event) => void submit(event)} aria-labelledby="name-title">
      <h2 id="name-title">Your name</h2>
      <label>
        Name
        <input
          name="name"
          required
          maxLength={64}
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </label>
      {message && <p class={message.ok ? "ok" : "error"}>{message.text}</p>}
      <button type="submit" class="primary">
        Save name
      </button>
    </form>
  );
}

function PasswordForm({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: JSX.TargetedSubmitEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (next !== repeat) {
      setError("The new passwords differ.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await rest.updateMe({ password: next, current_password: current });
      // The server ends every session of ours on a password change, this one too.
      onChanged();
    } catch (caught) {
      setError(messageOf(caught));
      setBusy(false);
    }
  };

  return (
    <form class="card form" onSubmit={(event) => void submit(event)} aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <p class="muted small">Changing it signs you out everywhere, here too.</p>
      <label>
        Current password
        <input
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onInput={(e) => setCurrent(e.currentTarget.value)}
        />
      </label>
      <label>
        New password
        <input
          type="password"
          autoComplete="new-password"
          required
          value={next}
          onInput={(e) => setNext(e.currentTarget.value)}
        />
      </label>
      <label>
        New password again
        <input
          type="password"
          autoComplete="new-password"
          required
          value={repeat}
          onInput={(e) => setRepeat(e.currentTarget.value)}
        />
      </label>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        Change password
      </button>
    </form>
  );
}
