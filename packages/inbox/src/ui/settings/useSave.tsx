/**
 * One settings form's round trip: busy while it saves, the server's error (kept until the next
 * try, beside the form that caused it) or a short confirmation. The form keeps what was typed
 * either way: only the caller decides what a success resets.
 */
import { messages } from "../../i18n/index.js";
import { useState } from "preact/hooks";
import { messageOf } from "../../api/http.js";

export interface SaveState {
  busy: boolean;
  error: string | null;
  saved: string | null;
  run(work: () => Promise<unknown>, savedText?: string): Promise<boolean>;
  /** A problem found before asking the server. */
  refuse(error: string): void;
}

export function useSave(): SaveState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  return {
    busy,
    error,
    saved,
    async run(work, savedText = messages().saved) {
      setBusy(true);
      setError(null);
      setSaved(null);
      try {
        await work();
        setSaved(savedText);
        return true;
      } catch (caught) {
        setError(messageOf(caught));
        return false;
      } finally {
        setBusy(false);
      }
    },
    refuse(text) {
      setSaved(null);
      setError(text);
    },
  };
}

/** The outcome line under a form: an alert for an error, a status for a success. */
export function SaveOutcome({ save, id }: { save: SaveState; id?: string }) {
  if (save.error !== null)
    return (
      <p class="error" role="alert" id={id}>
        {save.error}
      </p>
    );
  if (save.saved !== null)
    return (
      <p class="ok" role="status">
        {save.saved}
      </p>
    );
  return null;
}
