/**
 * One webhook's delivery log: newest first, a page at a time ("Load more" follows the server's
 * cursor), refreshed while a line is pending so a delivery is seen to land or fail, and a Resend
 * per line whose new pending line appears at the top.
 */
import { useT } from "../../i18n/index.js";
import type { Webhook, WebhookDelivery } from "@parley/protocol";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { messageOf } from "../../api/http.js";
import { webhooks } from "../../api/webhooks.js";
import {
  attemptsText,
  DELIVERY_STATUS_KEYS,
  durationText,
  eventLabel,
  logTime,
  mergeDeliveries,
  responseText,
  shortUrl,
} from "../../state/webhooks.js";

const PAGE = 20;
/** How often the log looks again while something in it is pending. */
const PENDING_REFRESH_MS = 2000;

export function WebhookDeliveries({
  webhook,
  id,
  onRefreshed,
}: {
  webhook: Webhook;
  id: string;
  /** After each refresh: the row reads its webhook again (a failure run starts or ends with a delivery). */
  onRefreshed: () => void;
}) {
  const [deliveries, setDeliveries] = useState<WebhookDelivery[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const t = useT();
  /** Once older pages are shown, the cursor is theirs: a refresh only freshens the top. */
  const olderShown = useRef(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const page = await webhooks.deliveries(webhook.site_id, webhook.id, { limit: PAGE });
      setDeliveries((shown) => mergeDeliveries(shown ?? [], page.deliveries));
      if (!olderShown.current) setCursor(page.next_cursor);
      setError(null);
      onRefreshed();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }, [webhook.site_id, webhook.id, onRefreshed]);

  useEffect(() => void refresh(), [refresh]);

  const pending = deliveries?.some((delivery) => delivery.status === "pending") ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => void refresh(), PENDING_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [pending, deliveries, refresh]);

  const loadMore = async () => {
    if (cursor === null) return;
    setBusy(true);
    try {
      const page = await webhooks.deliveries(webhook.site_id, webhook.id, { limit: PAGE, before: cursor });
      setDeliveries((shown) => mergeDeliveries(shown ?? [], page.deliveries));
      olderShown.current = true;
      setCursor(page.next_cursor);
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };

  const resend = async (delivery: WebhookDelivery) => {
    try {
      const { delivery: queued } = await webhooks.resend(webhook.site_id, webhook.id, delivery.id);
      setDeliveries((shown) => mergeDeliveries(shown ?? [], [queued]));
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  const titleId = `${id}-title`;
  return (
    <div class="deliveries" id={id} role="region" aria-labelledby={titleId}>
      <div class="deliveries-head">
        <h4 id={titleId}>
          Deliveries<span class="sr"> to {shortUrl(webhook.url)}</span>
        </h4>
        <button type="button" class="ghost small-button" onClick={() => void refresh()}>
          Refresh<span class="sr"> deliveries to {shortUrl(webhook.url)}</span>
        </button>
      </div>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {deliveries === null && <p class="muted small">{t.loading}</p>}
      {deliveries !== null && deliveries.length === 0 && <p class="muted small">{t.noDeliveriesYet}</p>}
      {deliveries !== null && deliveries.length > 0 && (
        <ol class="delivery-log" aria-label={t.deliveriesTo(shortUrl(webhook.url))}>
          {deliveries.map((delivery) => (
            <DeliveryLine key={delivery.id} delivery={delivery} onResend={() => void resend(delivery)} />
          ))}
        </ol>
      )}
      {cursor !== null && (
        <button type="button" class="ghost small-button" disabled={busy} onClick={() => void loadMore()}>
          Load more<span class="sr"> deliveries to {shortUrl(webhook.url)}</span>
        </button>
      )}
    </div>
  );
}

function DeliveryLine({ delivery, onResend }: { delivery: WebhookDelivery; onResend: () => void }) {
  const duration = durationText(delivery.duration_ms);
  const t = useT();
  const label = eventLabel(delivery.event_type);
  return (
    <li class="delivery" data-delivery-id={delivery.id} data-status={delivery.status}>
      <div class="delivery-main">
        <span class={`status status-${delivery.status}`}>{t[DELIVERY_STATUS_KEYS[delivery.status]]}</span>{" "}
        <span>{label}</span> <code>{delivery.event_type}</code>
      </div>
      <div class="muted small">
        {responseText(delivery)}
        {duration !== null && <> · {duration}</>} · {attemptsText(delivery.attempts)}
        {delivery.conversation_id !== null && <> · conversation {delivery.conversation_id}</>}
      </div>
      <div class="muted small">
        Created <time dateTime={delivery.created_at}>{logTime(delivery.created_at)}</time>
        {delivery.delivered_at !== null && (
          <>
            {" · delivered "}
            <time dateTime={delivery.delivered_at}>{logTime(delivery.delivered_at)}</time>
          </>
        )}
        {delivery.status === "pending" && delivery.next_attempt_at !== null && (
          <>
            {" · next try "}
            <time dateTime={delivery.next_attempt_at}>{logTime(delivery.next_attempt_at)}</time>
          </>
        )}
        {delivery.status === "failed" && (
          <>
            {" · last try "}
            <time dateTime={delivery.updated_at}>{logTime(delivery.updated_at)}</time>
          </>
        )}
      </div>
      {delivery.last_error !== null && delivery.status !== "delivered" && (
        <div class="small delivery-error">Last error: {delivery.last_error}</div>
      )}
      <button type="button" class="ghost small-button" onClick={onResend}>
        {t.resend}
        <span class="sr">{t.deliveryNamed(delivery.id, label)}</span>
      </button>
    </li>
  );
}
