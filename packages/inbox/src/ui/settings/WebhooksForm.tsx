/**
 * A site's webhooks in its editor (owners): each with its URL, format, events and whether it is
 * on (and why not, in Parley's words made plain), its signing secret revealed on request, a
 * switch, a delete behind a question, and its delivery log. A new webhook's secret is shown once,
 * from the create's answer; the server's refusals (a URL, Slack's events) are shown as it says them.
 */
import { useT } from "../../i18n/index.js";
import {
  MAX_WEBHOOK_URL_LENGTH,
  MAX_WEBHOOKS_PER_SITE,
  type Webhook,
  type WebhookEventType,
  type WebhookFormat,
} from "@parley/protocol";
import type { ComponentChildren, JSX } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { messageOf } from "../../api/http.js";
import { webhooks } from "../../api/webhooks.js";
import {
  eventLabel,
  FORMAT_KEYS,
  OFFERED_EVENTS,
  shortUrl,
  SLACK_EVENTS,
  webhookStateText,
} from "../../state/webhooks.js";
import { ConfirmDialog } from "../ConfirmDialog.js";
import { WebhookDeliveries } from "./WebhookDeliveries.js";

export function WebhooksSection({ siteId }: { siteId: number }) {
  const [list, setList] = useState<Webhook[] | null>(null);
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);

  const load = useCallback(async () => {
    try {
      setList((await webhooks.list(siteId)).webhooks);
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }, [siteId]);
  useEffect(() => void load(), [load]);

  // Stable, so a row's log does not refresh again each time the list renders.
  const replace = useCallback(
    (webhook: Webhook) =>
      setList((shown) => (shown ?? []).map((one) => (one.id === webhook.id ? webhook : one))),
    [],
  );

  const remove = async (webhook: Webhook) => {
    try {
      await webhooks.remove(siteId, webhook.id);
      setDeleting(null);
      setList((shown) => (shown ?? []).filter((one) => one.id !== webhook.id));
    } catch (caught) {
      setDeleting(null);
      setError(messageOf(caught));
    }
  };

  const full = list !== null && list.length >= MAX_WEBHOOKS_PER_SITE;
  return (
    <section class="card form webhooks-section" aria-labelledby="webhooks-title">
      <h3 id="webhooks-title">{t.webhooks}</h3>
      <p class="muted small">{t.webhooksIntro}</p>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {created !== null && <CreatedSecret {...created} onDone={() => setCreated(null)} />}
      {list === null && error === null && <p class="muted small">{t.loading}</p>}
      {list !== null && list.length === 0 && <p>{t.noWebhooksYet}</p>}
      {list !== null && list.length > 0 && (
        <ul class="webhooks" aria-label={t.siteWebhooks}>
          {list.map((webhook) => (
            <WebhookRow
              key={webhook.id}
              webhook={webhook}
              onChanged={replace}
              onDelete={() => setDeleting(webhook)}
            />
          ))}
        </ul>
      )}
      {full ? (
        <p class="muted small">{t.atMostWebhooks(MAX_WEBHOOKS_PER_SITE)}</p>
      ) : (
        <NewWebhookForm
          siteId={siteId}
          onCreated={(webhook, secret) => {
            setCreated({ url: webhook.url, secret });
            setList((shown) => [...(shown ?? []), webhook]);
          }}
        />
      )}
      {deleting !== null && (
        <ConfirmDialog
          title={t.deleteWebhookTitle}
          confirmLabel={t.deleteWebhook}
          danger
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(null)}
        >
          <p class="dialog-url">{deleting.url}</p>
          <p>{t.deleteWebhookBody}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function WebhookRow(props: {
  webhook: Webhook;
  onChanged: (webhook: Webhook) => void;
  onDelete: () => void;
}) {
  const { webhook } = props;
  const [secret, setSecret] = useState<string | null>(null);
  const [showLog, setShowLog] = useState(false);
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = shortUrl(webhook.url);
  const logId = `webhook-${webhook.id}-deliveries`;
  const troubled = !webhook.enabled || webhook.failing_since !== null;

  const toggle = async () => {
    setBusy(true);
    try {
      props.onChanged(
        (await webhooks.update(webhook.site_id, webhook.id, { enabled: !webhook.enabled })).webhook,
      );
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };

  const { onChanged } = props;
  const reread = useCallback(() => {
    webhooks.get(webhook.site_id, webhook.id).then(
      (answer) => onChanged(answer.webhook),
      () => undefined, // the log shows the error of its own request
    );
  }, [webhook.site_id, webhook.id, onChanged]);

  const reveal = async () => {
    try {
      setSecret((await webhooks.secret(webhook.site_id, webhook.id)).secret);
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  return (
    <li class="webhook" data-webhook-id={webhook.id}>
      <div class="webhook-url">
        <code>{webhook.url}</code>
      </div>
      <div class="muted small">
        {t[FORMAT_KEYS[webhook.format]]} · {webhook.events.map((event) => eventLabel(event)).join(", ")}
      </div>
      <p class={`small webhook-state${troubled ? " troubled" : ""}`}>
        {webhookStateText(webhook, Date.now())}
      </p>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {secret !== null && (
        <SecretField
          label={
            <>
              {t.signingSecret}
              <span class="sr">{t.forName(name)}</span>
            </>
          }
          secret={secret}
          doneLabel={t.hideSecret}
          onDone={() => setSecret(null)}
        />
      )}
      <div class="webhook-actions">
        <button
          type="button"
          class="ghost small-button"
          aria-expanded={showLog}
          aria-controls={showLog ? logId : undefined}
          onClick={() => setShowLog(!showLog)}
        >
          {showLog ? t.hideDeliveries : t.showDeliveries}
          <span class="sr">{t.toName(name)}</span>
        </button>
        {secret === null && (
          <button type="button" class="ghost small-button" onClick={() => void reveal()}>
            {t.revealSecret}
            <span class="sr">{t.forName(name)}</span>
          </button>
        )}
        <button type="button" class="ghost small-button" disabled={busy} onClick={() => void toggle()}>
          {webhook.enabled ? t.disable : t.enable}
          <span class="sr"> {name}</span>
        </button>
        <button type="button" class="ghost small-button danger-text" onClick={props.onDelete}>
          {t.delete}
          <span class="sr"> {name}</span>
        </button>
      </div>
      {showLog && <WebhookDeliveries webhook={webhook} id={logId} onRefreshed={reread} />}
    </li>
  );
}

/** A secret in a read-only field with Copy: after a create (once), or revealed on request. */
function SecretField(props: {
  label: ComponentChildren;
  secret: string;
  doneLabel: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  const t = useT();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.secret);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div class="secret-field">
      <label>
        {props.label}
        <input readOnly value={props.secret} onFocus={(event) => event.currentTarget.select()} />
      </label>
      <div class="actions">
        <button type="button" class="primary small-button" onClick={() => void copy()}>
          {copied === "yes" ? t.copied : t.copySecret}
        </button>
        <button type="button" class="ghost small-button" onClick={props.onDone}>
          {props.doneLabel}
        </button>
      </div>
      {copied === "failed" && (
        <p class="error small" role="alert">
          {t.copyFailed}
        </p>
      )}
    </div>
  );
}

/** The create's answer holds the secret; the row can reveal it again later, so this is a convenience, not a last chance. */
function CreatedSecret(props: { url: string; secret: string; onDone: () => void }) {
  const t = useT();
  return (
    <div class="created-token" role="status">
      <p>
        {t.webhookAddedBefore} <code>{props.url}</code> {t.webhookAddedMiddle} <code>Parley-Signature</code>{" "}
        {t.webhookAddedAfter}
      </p>
      <SecretField
        label={t.newWebhookSecret}
        secret={props.secret}
        doneLabel={t.done}
        onDone={props.onDone}
      />
    </div>
  );
}

function NewWebhookForm(props: { siteId: number; onCreated: (webhook: Webhook, secret: string) => void }) {
  const [url, setUrl] = useState("");
  const [format, setFormat] = useState<WebhookFormat>("parley");
  const [events, setEvents] = useState<WebhookEventType[]>(["conversation.created", "message.created"]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const t = useT();

  const submit = async (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (events.length === 0) {
      setError(t.chooseEvent);
      return;
    }
    setBusy(true);
    try {
      const answer = await webhooks.create(props.siteId, { url: url.trim(), events, format });
      setUrl("");
      setError(null);
      props.onCreated(answer.webhook, answer.secret);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };

  const toggleEvent = (type: WebhookEventType, on: boolean) =>
    setEvents((chosen) => (on ? [...chosen, type] : chosen.filter((one) => one !== type)));

  const errorId = "new-webhook-error";
  return (
    <form
      class="webhook-form"
      onSubmit={(event) => void submit(event)}
      aria-labelledby="new-webhook-title"
      aria-describedby={error !== null ? errorId : undefined}
    >
      <h4 id="new-webhook-title">{t.addAWebhook}</h4>
      <label>
        URL (https://)
        <input
          name="webhook-url"
          type="url"
          required
          maxLength={MAX_WEBHOOK_URL_LENGTH}
          placeholder="https://crm.example.com/parley"
          value={url}
          onInput={(event) => setUrl(event.currentTarget.value)}
        />
      </label>
      <label>
        {t.format}
        <select value={format} onChange={(event) => setFormat(event.currentTarget.value as WebhookFormat)}>
          {Object.entries(FORMAT_KEYS).map(([value, key]) => (
            <option key={value} value={value}>
              {t[key]}
            </option>
          ))}
        </select>
      </label>
      {format === "slack" && (
        <p class="muted small">{t.slackOnly(eventLabel(SLACK_EVENTS[0]!), eventLabel(SLACK_EVENTS[1]!))}</p>
      )}
      <fieldset>
        <legend>{t.events}</legend>
        {OFFERED_EVENTS.map((type) => (
          <label key={type} class="inline-check">
            <input
              type="checkbox"
              name="webhook-event"
              value={type}
              checked={events.includes(type)}
              onChange={(event) => toggleEvent(type, event.currentTarget.checked)}
            />
            {eventLabel(type)}
          </label>
        ))}
      </fieldset>
      {error !== null && (
        <p class="error" role="alert" id={errorId}>
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t.addWebhook}
      </button>
    </form>
  );
}
