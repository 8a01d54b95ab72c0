/**
 * Account → Email alerts (§16, every agent): the agent's address, when Parley emails them about
 * conversations waiting (never, within the site's hours, always) and after how many minutes.
 * Saved with PUT /agents/me/email; a refusal is shown under the form, which keeps what was typed.
 */
import type { AgentEmailAlerts } from "@parley/protocol";
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../api/http.js";
import { email } from "../api/email.js";
import { useT } from "../i18n/index.js";
import {
  alertsDraft,
  alertsRequest,
  EMAIL_ALERT_CHOICES,
  MAX_ALERT_MINUTES,
  MIN_ALERT_MINUTES,
  type AlertsDraft,
} from "../state/email.js";
import { SaveOutcome, useSave } from "./settings/useSave.js";

const CHOICE_LABELS = {
  off: "alertsOff",
  within_hours: "alertsWithinHours",
  always: "alertsAlways",
} as const satisfies Record<AgentEmailAlerts, string>;

export function EmailAlertsForm() {
  const [draft, setDraft] = useState<AlertsDraft | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const save = useSave();
  const t = useT();
  useEffect(() => {
    email.alerts().then(
      (saved) => setDraft(alertsDraft(saved)),
      (caught: unknown) => setLoadError(messageOf(caught)),
    );
  }, []);

  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (draft === null) return;
    const outcome = alertsRequest(draft);
    if ("invalid" in outcome) {
      save.refuse(outcome.invalid === "minutes" ? t.alertMinutesInvalid : t.alertsNeedEmail);
      return;
    }
    void save.run(async () => {
      setDraft(alertsDraft(await email.saveAlerts(outcome.request)));
    }, t.emailAlertsSaved);
  };

  return (
    // noValidate: the minutes and the address are checked here and by the server, with words of ours.
    <form class="card form" onSubmit={submit} aria-labelledby="email-alerts-title" noValidate>
      <h2 id="email-alerts-title">{t.emailAlertsHeading}</h2>
      <p class="muted small">{t.emailAlertsIntro}</p>
      {loadError !== null ? (
        <p class="error" role="alert">
          {loadError}
        </p>
      ) : draft === null ? (
        <p class="muted">{t.loading}</p>
      ) : (
        <>
          <label>
            {t.yourEmail}
            <input
              type="email"
              name="email"
              autoComplete="email"
              value={draft.email}
              onInput={(event) => setDraft({ ...draft, email: event.currentTarget.value })}
            />
          </label>
          <fieldset class="language-choice">
            <legend>{t.emailAlertsWhen}</legend>
            {EMAIL_ALERT_CHOICES.map((choice) => (
              <label key={choice} class="check">
                <input
                  type="radio"
                  name="email_alerts"
                  value={choice}
                  checked={draft.email_alerts === choice}
                  onChange={() => setDraft({ ...draft, email_alerts: choice })}
                />{" "}
                {t[CHOICE_LABELS[choice]]}
              </label>
            ))}
          </fieldset>
          <label>
            {t.alertAfterMinutes}
            <input
              type="number"
              name="email_alert_after_minutes"
              inputMode="numeric"
              min={MIN_ALERT_MINUTES}
              max={MAX_ALERT_MINUTES}
              step={1}
              required
              disabled={draft.email_alerts === "off"}
              value={draft.minutes}
              aria-describedby="email-alert-minutes-hint"
              onInput={(event) => setDraft({ ...draft, minutes: event.currentTarget.value })}
            />
          </label>
          <p class="muted small" id="email-alert-minutes-hint">
            {t.alertAfterMinutesHint}
          </p>
          <SaveOutcome save={save} />
          <button type="submit" class="primary" disabled={save.busy}>
            {t.saveEmailAlerts}
          </button>
        </>
      )}
    </form>
  );
}
