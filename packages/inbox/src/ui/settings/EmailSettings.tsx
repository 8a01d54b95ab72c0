/**
 * Settings → Email (owners, §16): whether email is on as the environment configures it (and, when
 * not, which variables turn it on), when replies go out by email and when the widget asks for an
 * address (owner settings, PATCH /settings like General), and a test email to a real mailbox.
 */
import type { EmailStatusResponse } from "@parley/protocol";
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, messageOf } from "../../api/http.js";
import { email } from "../../api/email.js";
import { useT } from "../../i18n/index.js";
import { emailRefusal, missingVariables, RECEIVING_VARIABLE, SENDING_VARIABLES } from "../../state/email.js";
import { fullTime, sinceText } from "../../state/relativeTime.js";
import { useNow } from "../useInbox.js";
import { NumberSettingsCard, type NumberField } from "./ownerSettingsForm.js";
import { SaveOutcome, useSave } from "./useSave.js";

const DOCS_PATH = "docs/email.md";

export function EmailSettings() {
  const [status, setStatus] = useState<EmailStatusResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const t = useT();
  useEffect(() => {
    email.status().then(setStatus, (caught: unknown) => setError(messageOf(caught)));
  }, []);
  return (
    <>
      <section class="card form" aria-labelledby="email-status-title">
        <h2 id="email-status-title">{t.emailStatusHeading}</h2>
        {error !== null ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : status === null ? (
          <p class="muted">{t.loading}</p>
        ) : (
          <EmailStatus status={status} />
        )}
      </section>
      <EmailTimingForm />
      <TestEmailForm />
    </>
  );
}

function OnOff({ on }: { on: boolean }) {
  const t = useT();
  return <strong class={`email-state ${on ? "on" : "off"}`}>{on ? t.emailOn : t.emailOff}</strong>;
}

function EmailStatus({ status }: { status: EmailStatusResponse }) {
  const t = useT();
  const now = useNow(30_000);
  const missing = missingVariables(status);
  return (
    <>
      <dl class="email-status">
        <dt>{t.emailSending}</dt>
        <dd>
          <OnOff on={status.sending} />
        </dd>
        {status.from !== null && (
          <>
            <dt>{t.emailFrom}</dt>
            <dd>{status.from}</dd>
          </>
        )}
        <dt>{t.emailReceiving}</dt>
        <dd>
          <OnOff on={status.receiving} />
        </dd>
        {status.reply_to !== null && (
          <>
            <dt>{t.emailReplyTo}</dt>
            <dd>{status.reply_to}</dd>
          </>
        )}
        {status.receiving && (
          <>
            <dt>{t.emailLastCheck}</dt>
            <dd>
              {status.last_fetch_at === null ? (
                <span class="muted">{t.emailNotChecked}</span>
              ) : (
                <time dateTime={status.last_fetch_at} title={fullTime(status.last_fetch_at)}>
                  {sinceText(status.last_fetch_at, now)}
                </time>
              )}
              {status.last_fetch_error !== null && (
                <span class="error"> {t.emailCheckFailed(status.last_fetch_error)}</span>
              )}
            </dd>
          </>
        )}
        <dt>{t.emailQueued}</dt>
        <dd>{status.queued}</dd>
        <dt>{t.emailFailedDay}</dt>
        <dd class={status.failed_last_day > 0 ? "error" : undefined}>{status.failed_last_day}</dd>
      </dl>
      {missing.length > 0 && (
        <div class="email-off">
          {!status.sending && <p>{t.emailSendingOff(SENDING_VARIABLES.join(", "))}</p>}
          {!status.receiving && <p>{t.emailReceivingOff(RECEIVING_VARIABLE)}</p>}
          <p class="muted small">{t.emailDocs(DOCS_PATH)}</p>
        </div>
      )}
    </>
  );
}

const TIMING_FIELDS: NumberField[] = [
  {
    key: "email_replies_after_minutes",
    label: "fieldEmailReplies",
    hint: "fieldEmailRepliesHint",
    min: 0,
    max: 1440,
  },
  { key: "ask_email_after_minutes", label: "fieldAskEmail", hint: "fieldAskEmailHint", min: 0, max: 1440 },
];

/** The two owner settings about email, saved like the general ones (only what changed). */
function EmailTimingForm() {
  const t = useT();
  return <NumberSettingsCard id="email-timing-title" heading={t.emailTimingHeading} fields={TIMING_FIELDS} />;
}

/** A test email to any address, by default the owner's own (Account → Email alerts). */
function TestEmailForm() {
  const [to, setTo] = useState("");
  const save = useSave();
  const t = useT();
  useEffect(() => {
    // The agent's own address is only a default: never overwrite what they started typing.
    email.alerts().then(
      (mine) => {
        if (mine.email !== null) setTo((current) => (current === "" ? (mine.email ?? "") : current));
      },
      () => undefined,
    );
  }, []);

  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const address = to.trim();
    void save.run(async () => {
      try {
        await email.test({ to: address });
      } catch (caught) {
        const refusal = caught instanceof ApiError ? emailRefusal(caught.status) : null;
        if (refusal === "off") throw new Error(t.emailIsOff, { cause: caught });
        if (refusal === "badAddress") throw new Error(t.emailBadAddress, { cause: caught });
        throw caught;
      }
    }, t.emailTestSent(address));
  };

  return (
    // noValidate: the server judges the address, and its refusal is shown in the inbox's language.
    <form class="card form" onSubmit={submit} aria-labelledby="email-test-title" noValidate>
      <h2 id="email-test-title">{t.emailTestHeading}</h2>
      <p class="muted small">{t.emailTestIntro}</p>
      <label>
        {t.emailAddress}
        <input
          type="email"
          name="to"
          required
          autoComplete="email"
          value={to}
          onInput={(event) => setTo(event.currentTarget.value)}
        />
      </label>
      <SaveOutcome save={save} />
      <button type="submit" class="primary" disabled={save.busy}>
        {save.busy ? t.sending : t.emailTestSend}
      </button>
    </form>
  );
}
