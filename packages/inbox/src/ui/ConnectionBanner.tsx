/** Says when the live connection is not there, so nobody answers into a void unknowingly. */
import { useInbox, useStore } from "./useInbox.js";
import { useT } from "../i18n/index.js";

export function ConnectionBanner() {
  const store = useStore();
  const status = useInbox((state) => state.status);
  const t = useT();
  if (status === "connected") return null;
  const text =
    status === "connecting" ? t.connecting : status === "reconnecting" ? t.connectionLost : t.disconnected;
  return (
    <div class={`banner ${status}`} role="status" data-status={status}>
      <span>{text}</span>
      {status === "reconnecting" && (
        <button type="button" class="link" onClick={() => store.reconnectNow()}>
          {t.retryNow}
        </button>
      )}
      {status === "closed" && (
        <button type="button" class="link" onClick={() => location.reload()}>
          {t.reload}
        </button>
      )}
    </div>
  );
}

export function Notice() {
  const store = useStore();
  const notice = useInbox((state) => state.notice);
  const t = useT();
  if (notice === null) return null;
  return (
    <div class="toast" role="status">
      <span>{notice}</span>
      <button type="button" class="icon" aria-label={t.dismiss} onClick={() => store.notify(null)}>
        ×
      </button>
    </div>
  );
}
