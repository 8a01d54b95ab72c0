/** The agent's own settings: name, photo, password, how the inbox gets their attention, email alerts, API tokens. */
import { chooseLocale, LANGUAGE_NAMES, LOCALES, useLocale, useT } from "../i18n/index.js";
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { messageOf } from "../api/http.js";
import { rest } from "../api/rest.js";
import { ApiTokens } from "./ApiTokens.js";
import { EmailAlertsForm } from "./EmailAlertsForm.js";
import { NotificationSettings } from "./NotificationSettings.js";
import { routePath } from "../state/routes.js";
import { PhotoForm } from "./PhotoForm.js";
import { onLinkClick } from "./router.js";
import { useInbox, useStore } from "./useInbox.js";

export function AccountPage(props: { onPasswordChanged: () => void }) {
  const t = useT();
  return (
    <main class="page">
      <h1>{t.accountHeading}</h1>
      <LanguageForm />
      <NameForm />
      <PhotoForm />
      <PasswordForm onChanged={props.onPasswordChanged} />
      <NotificationSettings />
      <EmailAlertsForm />
      <section class="card form" aria-labelledby="canned-title">
        <h2 id="canned-title">{t.cannedReplies}</h2>
        <p class="muted">{t.cannedIntro}</p>
        <p>
          <a href={routePath({ page: "canned" })} onClick={onLinkClick}>
            {t.manageCanned}
          </a>
        </p>
      </section>
      <ApiTokens />
    </main>
  );
}

/** The inbox's language for this agent in this browser, applied at once. */
function LanguageForm() {
  const t = useT();
  const me = useInbox((state) => state.me);
  const current = useLocale();
  return (
    <section class="card form" aria-labelledby="language-title">
      <h2 id="language-title">{t.languageHeading}</h2>
      <p class="muted small">{t.languageIntro}</p>
      <fieldset class="language-choice">
        <legend class="sr">{t.languageHeading}</legend>
        {LOCALES.map((locale) => (
          <label key={locale} lang={locale} class="check">
            <input
              type="radio"
              name="language"
              value={locale}
              checked={locale === current}
              onChange={() => chooseLocale(me.id, locale)}
            />{" "}
            {LANGUAGE_NAMES[locale]}
          </label>
        ))}
      </fieldset>
    </section>
  );
}

function NameForm() {
  const t = useT();
  const store = useStore();
  const me = useInbox((state) => state.me);
  const [name, setName] = useState(me.name);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async (event: JSX.TargetedSubmitEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    try {
      const { agent } = await rest.updateMe({ name: name.trim() });
      store.setMe(agent);
      setMessage({ ok: true, text: t.nameSaved });
    } catch (caught) {
      setMessage({ ok: false, text: messageOf(caught) });
    }
  };

  return (
    <form class="card form" onSubmit={(event) => void submit(event)} aria-labelledby="name-title">
      <h2 id="name-title">{t.yourName}</h2>
      <label>
        {t.name}
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
        {t.saveName}
      </button>
    </form>
  );
}

function PasswordForm({ onChanged }: { onChanged: () => void }) {
  const t = useT();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: JSX.TargetedSubmitEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (next !== repeat) {
      setError(t.passwordsDiffer);
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
      <h2 id="password-title">{t.password}</h2>
      <p class="muted small">{t.passwordIntro}</p>
      <label>
        {t.currentPassword}
        <input
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onInput={(e) => setCurrent(e.currentTarget.value)}
        />
      </label>
      <label>
        {t.newPassword}
        <input
          type="password"
          autoComplete="new-password"
          required
          value={next}
          onInput={(e) => setNext(e.currentTarget.value)}
        />
      </label>
      <label>
        {t.newPasswordAgain}
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
        {t.changePassword}
      </button>
    </form>
  );
}
