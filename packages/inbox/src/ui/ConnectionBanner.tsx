/** Says when the live connection is not there, so nobody answers into a void unknowingly. */
import { useInbox, useStore } from "./useInbox.js";

export function ConnectionBanner() {
  const store = useStore();
  const status = useInbox((state) => state.status);
  if (status === "connected") return null;
  const text =
    status === "connecting"
      ? "Connecting…"
      : status === "reconnecting"
        ? "Connection lost. Reconnecting… Messages you send now go out when it is back."
        : "Disconnected. Reload the page to reconnect.";
  return (
    <div class={`banner ${status}`} role="status" data-status={status}>
      <span>{text}</span>
      {status === "reconnecting" && (
        <button type="button" class="link" onClick={() => store.reconnectNow()}>
          Retry now
        </button>
      )}
      {status === "closed" && (
        <button type="button" class="link" onClick={() => location.reload()}>
          Reload
        </button>
      )}
    </div>
  );
}

export function Notice() {
  const store = useStore();
  const notice = useInbox((state) => state.notice);
  if (notice === null) return null;
  return (
    <div class="toast" role="status">
      <span>{notice}</span>
      <button type="button" class="icon" aria-label="Dismiss" onClick={() => store.notify(null)}>
        ×
      </button>
    </div>
  );
}
